// The line above a table: what it shows, how many rows pass the filter, and the sort.
import { Text } from 'ink';
import { useDeck } from '../context.js';
import type { TableModel } from './use-table.js';

/** Props of <TableTitle>. */
export interface TableTitleProps<Row> {
  title: string;
  model: TableModel<Row>;
  /** Extra facts after the counts, e.g. job counts by state. */
  extra?: string;
}

/** `Nodes 3 of 5 · filter "md" · sorted by CPU% ▼ · extra`. */
export function TableTitle<Row>({ title, model, extra }: TableTitleProps<Row>) {
  const { theme } = useDeck();
  const column = model.sort && model.placed.find((p) => p.column.id === model.sort!.column)?.column.title;
  const parts = [
    model.filter ? `${model.count} of ${model.total}` : `${model.total}`,
    ...(model.filter ? [`filter "${model.filter}"`] : []),
    ...(column ? [`sorted by ${column} ${model.sort!.descending ? '▼' : '▲'}`] : []),
    ...(extra ? [extra] : []),
  ];
  return (
    <Text wrap="truncate">
      <Text {...theme.style('heading')}>{title}</Text>
      <Text {...theme.style('muted')}>{`  ${parts.join(' · ')}`}</Text>
    </Text>
  );
}
