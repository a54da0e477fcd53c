// A virtualised table: a header and only the rows inside the window are rendered, so 20,000 rows cost as much as
// the 20 on screen. The selected row carries a `›` mark (visible without colour) and the selected tone.
import { Box, Text } from 'ink';
import { fitText } from '../../format/text.js';
import { useDeck } from '../context.js';
import type { Tone } from '../theme.js';
import { columnGap, type PlacedColumn } from './columns.js';
import type { TableModel } from './use-table.js';

/** Props of <Table>. */
export interface TableProps<Row> {
  model: TableModel<Row>;
  /** Tone for a whole row (cells without their own tone), e.g. red for a node that is not ready. */
  rowTone?(row: Row): Tone | undefined;
  /** Shown instead of rows when there are none. */
  empty: string;
  /** Draws the selection (false when another table of the screen has the focus). */
  focused?: boolean;
}

const gap = ' '.repeat(columnGap);

function HeaderLine<Row>({ placed, sort }: { placed: PlacedColumn<Row>[]; sort: TableModel<Row>['sort'] }) {
  const { theme } = useDeck();
  const title = (p: PlacedColumn<Row>) => (sort?.column === p.column.id ? `${p.column.title}${sort.descending ? '▼' : '▲'}` : p.column.title);
  return (
    <Text wrap="truncate" {...theme.style('heading')}>
      {'  ' + placed.map((p) => fitText(title(p), p.width, p.column.align)).join(gap)}
    </Text>
  );
}

/** Renders the header and the visible window of a table model. */
export function Table<Row>({ model, rowTone, empty, focused = true }: TableProps<Row>) {
  const { theme } = useDeck();
  const visible = model.visible;
  return (
    <Box flexDirection="column">
      <HeaderLine placed={model.placed} sort={model.sort} />
      {visible.length === 0 ? (
        <Text {...theme.style('muted')}>{`  ${model.total > 0 && model.filter ? `no rows match the filter "${model.filter}"` : empty}`}</Text>
      ) : (
        visible.map((row, i) => {
          const selected = focused && model.top + i === model.index;
          const base = rowTone?.(row);
          return (
            <Text key={model.top + i} wrap="truncate" {...(selected ? theme.style('selected') : {})}>
              {selected ? '› ' : '  '}
              {model.placed.map((p, c) => (
                <Text key={p.column.id} {...theme.style(p.column.tone?.(row) ?? base)}>
                  {fitText(p.column.text(row), p.width, p.column.align) + (c < model.placed.length - 1 ? gap : '')}
                </Text>
              ))}
            </Text>
          );
        })
      )}
    </Box>
  );
}
