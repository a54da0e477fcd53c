// Screen 1, Nodes: health, usage against allocatable and requests, pods and running jobs per node, with the CPU
// history as a sparkline. Not-ready and unknown nodes come first and in red; `R` asks for recover-node on them.
import { useMemo } from 'react';
import { Box } from 'ink';
import { nodeCpuSeries, nodeDetailData, type NodeRow } from '../../store/screen-data.js';
import { selectNodeRows } from '../../store/selectors.js';
import { useDeck, useNow, type ScreenProps } from '../context.js';
import { DetailPane } from '../detail/detail-pane.js';
import { recoverNodeRequest, refuse, requestRunbook } from '../runbooks/requests.js';
import { Notice, useKindNotice } from '../shell/notice.js';
import { Table } from '../table/table.js';
import { TableTitle } from '../table/title.js';
import { useTable } from '../table/use-table.js';
import { useKeymap } from '../use-keymap.js';
import { nodeColumns, nodeOrder } from './columns.js';
import { nodeDetailLines } from './node-detail.js';

/** Asks for recover-node on a node that is not ready; explains why not otherwise. */
export function recoverNode(deck: ReturnType<typeof useDeck>, row: NodeRow | undefined): void {
  if (!row) return refuse(deck, 'no node selected');
  if (row.status === 'Ready') return refuse(deck, `${row.name} is Ready: recover-node is for a node that is not ready`);
  requestRunbook(deck, recoverNodeRequest(row.name, row.machine));
}

/** The Nodes screen. */
export function NodesScreen({ width, height, active }: ScreenProps) {
  const deck = useDeck();
  const { useApp, useShell, shell } = deck;
  const now = useNow();
  const rows = useApp((s) => selectNodeRows(s, now));
  const history = useApp((s) => s.metrics.history);
  const metrics = useApp((s) => s.metrics.available !== false);
  const detail = useShell((s) => s.detail);
  const ordered = useMemo(() => nodeOrder(rows), [rows]);
  const columns = useMemo(() => nodeColumns({ metrics, cpuSeries: (name) => nodeCpuSeries(history, name) }), [metrics, history]);
  const table = useTable({
    id: 'nodes', place: 'nodes', rows: ordered, columns, rowKey: (r) => r.name, width, height: height - 2,
    active: active && !detail, onOpen: () => shell.getState().actions.setDetail(true),
  });
  useKeymap({ 'runbook.recover-node': () => recoverNode(deck, table.selected) }, { place: 'nodes', active: active && !detail });
  const notice = useKindNotice('nodes', 'nodes', rows.length > 0);
  // The model only while the detail pane is open: selecting it always would render the screen (and redraw the
  // frame) on every watch batch of any kind.
  const model = useApp((s) => (detail ? s.cluster.model : undefined));
  const selected = table.selected;
  const lines = useMemo(
    () => (model && selected ? nodeDetailLines(selected, model.nodes.get(selected.name), nodeDetailData(model, selected.name), now, metrics) : []),
    [detail, selected, model, now, metrics],
  );
  if (detail && selected) return <DetailPane title={`Node ${selected.name}`} lines={lines} height={height} active={active} />;
  const notReady = rows.filter((r) => r.status !== 'Ready').length;
  return (
    <Box flexDirection="column">
      <TableTitle title="Nodes" model={table} extra={notReady > 0 ? `${notReady} not ready` : 'all ready'} />
      {notice ? <Notice notice={notice} /> : <Table model={table} rowTone={(r) => (r.status === 'Ready' ? undefined : 'error')} empty="no nodes" />}
    </Box>
  );
}
