// Screen 4, Prow components: each Deployment in the Prow namespace with ready/desired, restarts, waiting reasons,
// age and its latest Warning event; below the table, the recent Warning events of the selected component with
// their full messages (the triage view after a deploy: operations.md, "Prow component triage").
import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { ageSince } from '../../format/duration.js';
import { componentCreated, type ComponentRow } from '../../store/screen-data.js';
import { selectComponents } from '../../store/selectors.js';
import { useDeck, useNow, type ScreenProps } from '../context.js';
import { DetailPane } from '../detail/detail-pane.js';
import { fields, section, type DetailLine } from '../detail/lines.js';
import { Notice, useKindNotice } from '../shell/notice.js';
import { Table } from '../table/table.js';
import { TableTitle } from '../table/title.js';
import { useTable } from '../table/use-table.js';
import { componentColumns, componentOrder, waitingText } from './columns.js';

/** A component's Warning events as lines (newest first). */
export function warningLines(row: ComponentRow): DetailLine[] {
  return row.events.map((e) => ({ text: `  ${(e.age ?? '').padStart(4)}  ${e.reason}${e.count > 1 ? ` ×${e.count}` : ''}  ${e.object}: ${e.message}`, tone: 'warn' as const }));
}

/** Detail lines of a component: its pods and events. */
export function componentDetailLines(row: ComponentRow, age: string): DetailLine[] {
  return [
    ...fields([
      ['Deployment', `${row.namespace}/${row.name}`],
      ['Ready', `${row.ready}/${row.desired} (available ${row.available})`, row.healthy ? 'ok' : 'error'],
      ['Restarts', String(row.restarts)],
      ['Waiting', waitingText(row) || undefined, 'warn'],
      ['Age', age],
    ]),
    ...section('Pods', row.pods.map((p) => ({ text: `  ${p.name}  ${p.status}${p.restarts ? `  restarts ${p.restarts}` : ''}${p.node ? `  on ${p.node}` : ''}`, ...(p.status === 'Running' ? {} : { tone: 'warn' as const }) }))),
    ...section('Warning events (last hour)', warningLines(row)),
  ];
}

/** The Prow components screen. */
export function ComponentsScreen({ width, height, active }: ScreenProps) {
  const { useApp, useShell, shell, theme } = useDeck();
  const now = useNow();
  const unordered = useApp((s) => selectComponents(s, now));
  const rows = useMemo(() => componentOrder(unordered), [unordered]);
  const model = useApp((s) => s.cluster.model);
  const detail = useShell((s) => s.detail);
  const columns = useMemo(() => componentColumns((r) => componentCreated(model, r), now), [model, now]);
  const selectedEvents = 5;
  const tableHeight = Math.max(3, height - 2 - (selectedEvents + 1));
  const table = useTable({
    id: 'components', place: 'components', rows, columns, rowKey: (r) => `${r.namespace}/${r.name}`, width, height: tableHeight,
    active: active && !detail, onOpen: () => shell.getState().actions.setDetail(true),
  });
  const notice = useKindNotice('deployments', 'Prow Deployments', rows.length > 0);
  const prow = useKindNotice('prowJobs', 'ProwJobs', true);
  const selected = table.selected;
  if (detail && selected) {
    const lines = componentDetailLines(selected, ageSince(componentCreated(model, selected), now));
    return <DetailPane title={`Component ${selected.name}`} lines={lines} height={height} active={active} />;
  }
  const unhealthy = rows.filter((r) => !r.healthy).length;
  const warnings = selected ? warningLines(selected).slice(0, selectedEvents) : [];
  return (
    <Box flexDirection="column">
      <TableTitle title="Prow components" model={table} extra={unhealthy ? `${unhealthy} unhealthy` : 'all healthy'} />
      <Box flexDirection="column" height={tableHeight + 1} overflowY="hidden">
        {prow && rows.length === 0 ? <Notice notice={prow} /> : notice ? <Notice notice={notice} /> : <Table model={table} empty="no Deployments in the Prow namespace" />}
      </Box>
      <Text wrap="truncate" {...theme.style('heading')}>{selected ? `Warnings for ${selected.name}` : 'Warnings'}</Text>
      {warnings.length === 0 ? <Text {...theme.style('muted')}>{'  no Warning events in the last hour'}</Text> : warnings.map((w, i) => <Text key={i} wrap="truncate" {...theme.style(w.tone)}>{w.text}</Text>)}
    </Box>
  );
}
