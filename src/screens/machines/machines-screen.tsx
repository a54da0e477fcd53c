// Screen 2, Machines: the rollouts panel (one row per MachineDeployment and KubeadmControlPlane, with a progress
// bar, old vs new machines and a stalled warning) over the machines table; Tab moves the focus between them.
// The view for watching an upgrade roll and a scale-out land.
import { useMemo } from 'react';
import { Box } from 'ink';
import { rolloutMachines, type MachineRow, type RolloutRow } from '../../store/screen-data.js';
import { selectMachineRows, selectRollouts } from '../../store/selectors.js';
import { useDeck, useNow, type Deck, type ScreenProps } from '../context.js';
import { DetailPane } from '../detail/detail-pane.js';
import { recoverNodeRequest, refuse, requestRunbook, scaleRequest } from '../runbooks/requests.js';
import { Notice, useKindNotice } from '../shell/notice.js';
import { Table } from '../table/table.js';
import { TableTitle } from '../table/title.js';
import { useTable } from '../table/use-table.js';
import { useKeymap } from '../use-keymap.js';
import { machineColumns, rolloutColumns } from './columns.js';
import { machineDetailLines, rolloutDetailLines } from './machine-detail.js';

/** scale-md by `delta` for a rollout row, refusing control planes and scaling below zero. */
export function scaleRollout(deck: Deck, row: RolloutRow | undefined, delta: number): void {
  if (!row) return refuse(deck, 'no MachineDeployment selected');
  if (row.kind !== 'MachineDeployment') return refuse(deck, `${row.name} is a KubeadmControlPlane: scale-md scales MachineDeployments`);
  const from = row.desired ?? row.replicas ?? 0;
  if (from + delta < 0) return refuse(deck, `${row.name} is already at 0 replicas`);
  requestRunbook(deck, scaleRequest(row, from + delta));
}

/** recover-node for a machine whose node is not ready (or that has no node). */
export function recoverMachine(deck: Deck, row: MachineRow | undefined): void {
  if (!row) return refuse(deck, 'no machine selected');
  const node = row.node ? deck.app.getState().cluster.model.nodes.get(row.node) : undefined;
  if (node && node.ready === 'True') return refuse(deck, `node ${node.name} of ${row.name} is Ready: recover-node is for a node that is not ready`);
  requestRunbook(deck, recoverNodeRequest(row.node, row));
}

const rolloutKey = (r: RolloutRow) => `${r.kind}/${r.namespace}/${r.name}`;

/** The Machines screen. */
export function MachinesScreen({ width, height, active }: ScreenProps) {
  const deck = useDeck();
  const { useApp, useShell, shell } = deck;
  const now = useNow();
  const machines = useApp((s) => selectMachineRows(s, now));
  const { machineDeployments, controlPlanes } = useApp((s) => selectRollouts(s, now));
  const rollouts = useMemo(() => [...controlPlanes, ...machineDeployments], [controlPlanes, machineDeployments]);
  const { detail, focus } = useShell((s) => ({ detail: s.detail, focus: s.views.machines === 'rollouts' ? 'rollouts' : 'machines' }));
  const open = () => shell.getState().actions.setDetail(true);
  const keys = active && !detail;
  const rolloutHeight = Math.max(1, Math.min(rollouts.length, Math.floor((height - 6) / 3)));
  const rolloutTable = useTable({
    id: 'machines:rollouts', place: 'machines', rows: rollouts, columns: rolloutColumns, rowKey: rolloutKey, width,
    height: rolloutHeight, active: keys && focus === 'rollouts', filtered: focus === 'rollouts', onOpen: open,
  });
  const machineTable = useTable({
    id: 'machines', place: 'machines', rows: machines, columns: machineColumns, rowKey: (r) => `${r.namespace}/${r.name}`, width,
    height: height - rolloutHeight - 4, active: keys && focus === 'machines', filtered: focus === 'machines', onOpen: open,
  });
  const selectedMd = (): RolloutRow | undefined => {
    if (focus === 'rollouts') return rolloutTable.selected;
    const owner = machineTable.selected?.owner;
    return owner ? rollouts.find((r) => r.kind === owner.kind && r.name === owner.name && r.namespace === machineTable.selected?.namespace) : undefined;
  };
  useKeymap(
    {
      'machines.toggle-focus': () => shell.getState().actions.setView('machines', shell.getState().views.machines === 'rollouts' ? 'machines' : 'rollouts'),
      'runbook.recover-node': () => (focus === 'machines' ? recoverMachine(deck, machineTable.selected) : refuse(deck, 'R works on a machine: Tab to the machines table')),
      'runbook.scale-up': () => scaleRollout(deck, selectedMd(), +1),
      'runbook.scale-down': () => scaleRollout(deck, selectedMd(), -1),
    },
    { place: 'machines', active: keys },
  );
  const notice = useKindNotice('machines', 'machines', machines.length > 0);
  const model = useApp((s) => s.cluster.model);
  const lines = useMemo(() => {
    if (!detail) return [];
    if (focus === 'rollouts') {
      const r = rolloutTable.selected;
      return r ? rolloutDetailLines(r, rolloutMachines(model, r.kind, r.namespace, r.name)) : [];
    }
    const m = machineTable.selected;
    return m ? machineDetailLines(m, model.machines.get(`${m.namespace}/${m.name}`), now) : [];
  }, [detail, focus, rolloutTable.selected, machineTable.selected, model, now]);
  if (detail && lines.length > 0) {
    const title = focus === 'rollouts' ? `${rolloutTable.selected!.kind} ${rolloutTable.selected!.name}` : `Machine ${machineTable.selected!.name}`;
    return <DetailPane title={title} lines={lines} height={height} active={active} />;
  }
  const stalled = rollouts.filter((r) => r.stalled).length;
  const rolling = rollouts.filter((r) => !r.complete).length;
  const deleting = machines.filter((m) => m.deletion).length;
  return (
    <Box flexDirection="column">
      <TableTitle title={focus === 'rollouts' ? '▸ Rollouts' : 'Rollouts'} model={rolloutTable} extra={stalled ? `${stalled} STALLED` : rolling ? `${rolling} rolling` : 'all complete'} />
      {notice ? <Notice notice={notice} /> : <Table model={rolloutTable} focused={focus === 'rollouts'} empty="no MachineDeployments or KubeadmControlPlanes" />}
      <TableTitle title={focus === 'machines' ? '▸ Machines' : 'Machines'} model={machineTable} extra={deleting ? `${deleting} deleting` : undefined} />
      {notice ? <Notice notice={notice} /> : <Table model={machineTable} focused={focus === 'machines'} empty="no machines" />}
    </Box>
  );
}
