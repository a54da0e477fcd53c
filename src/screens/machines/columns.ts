// The Machines table and the rollouts panel as data. A machine's CONDITION column shows its deletion progress
// (drain and volume-detach timers against their timeouts) while it is being deleted, else the condition summary.
import { progressBar } from '../../format/chart.js';
import { formatCountdown, humanAge } from '../../format/duration.js';
import type { MachineDeletion, MachineRow, RolloutRow } from '../../store/screen-data.js';
import { ageMs } from '../table/age.js';
import type { Column } from '../table/columns.js';
import type { Tone } from '../theme.js';

const ownerShort: Record<string, string> = { MachineDeployment: 'md', KubeadmControlPlane: 'kcp', MachineSet: 'ms', MachinePool: 'mp' };

/** `md/prow-md-0`, `kcp/prow-control-plane`, or `none (not replaced)`. */
export function ownerText(row: MachineRow): string {
  return row.owner ? `${ownerShort[row.owner.kind] ?? row.owner.kind}/${row.owner.name}` : 'none (not replaced)';
}

/** `draining 3m (timeout 10m, 7m left), volumes 1m (timeout 15m)`: how far a deletion got. */
export function deletionProgress(d: MachineDeletion): string {
  const parts = [`deleting ${humanAge(d.forMs)}`];
  if (d.drainingForMs !== undefined) {
    const timeout = d.nodeDrainSeconds ? ` (timeout ${humanAge(d.nodeDrainSeconds * 1000)}, ${formatCountdown(d.drainTimeoutLeftMs ?? 0)} left)` : ' (no drain timeout: waits forever)';
    parts.push(`draining ${humanAge(d.drainingForMs)}${timeout}`);
  }
  if (d.waitingForVolumeDetachForMs !== undefined) {
    const limit = d.nodeVolumeDetachSeconds ? `timeout ${humanAge(d.nodeVolumeDetachSeconds * 1000)}` : 'no timeout';
    parts.push(`volumes ${humanAge(d.waitingForVolumeDetachForMs)} (${limit})`);
  }
  return parts.join(', ');
}

const phaseTone = (row: MachineRow): Tone | undefined =>
  row.deletion ? 'warn' : row.phase === 'Running' ? 'ok' : row.phase === 'Failed' ? 'error' : 'warn';

/** The columns of the Machines table. */
export const machineColumns: readonly Column<MachineRow>[] = [
  { id: 'name', title: 'NAME', width: 20, flex: 1, text: (r) => r.name },
  { id: 'phase', title: 'PHASE', width: 12, text: (r) => (r.deletion ? 'Deleting' : r.phase), tone: phaseTone },
  { id: 'owner', title: 'OWNER', width: 15, text: ownerText, tone: (r) => (r.replacedOnDelete ? undefined : 'warn') },
  { id: 'node', title: 'NODE', width: 16, priority: 2, text: (r) => r.node ?? '' },
  { id: 'version', title: 'VERSION', width: 8, priority: 3, text: (r) => r.version ?? '' },
  { id: 'age', title: 'AGE', width: 5, align: 'right', text: (r) => r.age, sortKey: (r) => ageMs(r.age) },
  {
    id: 'condition', title: 'CONDITION', width: 24, flex: 3,
    text: (r) => (r.deletion ? deletionProgress(r.deletion) : r.summary),
    tone: (r) => (r.deletion ? 'warn' : r.summary === 'Ready' ? undefined : 'warn'),
  },
  // Last and first to go: the detail pane has it too.
  { id: 'provider', title: 'PROVIDER ID', width: 20, priority: 5, text: (r) => r.providerID ?? '' },
];

const count = (n: number | undefined) => (n === undefined ? '-' : String(n));

/** The rollout's state in words: complete, paused, stalled with the idle time, or rolling. */
export function rolloutState(r: RolloutRow): string {
  if (r.complete) return 'complete';
  if (r.paused) return 'paused';
  if (r.stalled) return `⚠ STALLED: nothing moved for ${r.idleFor ?? '?'}`;
  return 'rolling';
}

/** Width of the progress bar in the rollouts panel. */
export const barWidth = 10;

/** The columns of the rollouts panel (one row per MachineDeployment and KubeadmControlPlane). */
export const rolloutColumns: readonly Column<RolloutRow>[] = [
  { id: 'kind', title: 'KIND', width: 4, text: (r) => (r.kind === 'MachineDeployment' ? 'MD' : 'KCP') },
  { id: 'name', title: 'ROLLOUT', width: 18, flex: 1, text: (r) => r.name },
  { id: 'version', title: 'VERSION', width: 8, priority: 3, text: (r) => r.version ?? '' },
  {
    id: 'progress', title: 'PROGRESS', width: barWidth + 16, sortKey: (r) => (r.upToDate ?? 0) / Math.max(1, r.desired ?? 1),
    text: (r) => `${progressBar(r.upToDate ?? r.machines.new, r.desired ?? r.machines.total, barWidth)} ${r.progress}`,
    tone: (r) => (r.complete ? 'ok' : r.stalled ? 'error' : 'warn'),
  },
  { id: 'desired', title: 'DES', width: 3, align: 'right', text: (r) => count(r.desired), sortKey: (r) => r.desired },
  { id: 'ready', title: 'RDY', width: 3, align: 'right', text: (r) => count(r.ready), sortKey: (r) => r.ready },
  { id: 'available', title: 'AVL', width: 3, align: 'right', priority: 2, text: (r) => count(r.available), sortKey: (r) => r.available },
  { id: 'oldnew', title: 'OLD→NEW', width: 9, text: (r) => `${r.machines.old}→${r.machines.new}${r.machines.deleting ? ` -${r.machines.deleting}` : ''}` },
  { id: 'state', title: 'STATE', width: 10, flex: 1, text: rolloutState, tone: (r) => (r.complete ? 'ok' : r.stalled ? 'error' : 'warn') },
];
