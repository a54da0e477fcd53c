// Detail lines of a Machine (owner and whether it is replaced, deletion progress and timeouts, every condition)
// and of a rollout (counters, and which machines are old and which are new).
import { ageSince, humanAge } from '../../format/duration.js';
import type { ConditionView, MachineView } from '../../kube/types.js';
import type { MachineRow, RolloutMachine, RolloutRow } from '../../store/screen-data.js';
import { fields, section, type DetailLine } from '../detail/lines.js';
import { deletionProgress, ownerText, rolloutState } from './columns.js';

const seconds = (s: number | undefined) => (s === undefined ? 'not set' : s === 0 ? '0 (wait forever)' : humanAge(s * 1000));

/** A condition as a line: `Ready=False  Reason: message  (3m ago)`, in warn tone unless it is fine. */
export function conditionLine(c: ConditionView, nowMs: number): DetailLine {
  const since = c.lastTransitionTime ? `  (${ageSince(c.lastTransitionTime, nowMs)} ago)` : '';
  // Deleting, Paused, RollingOut… say something is going on when True; every other condition is fine when True.
  const negative = /^(Deleting|Paused|RollingOut|ScalingUp|ScalingDown|Remediating)$/.test(c.type);
  const fine = negative ? c.status !== 'True' : c.status === 'True';
  return { text: `  ${c.type}=${c.status}${c.reason ? `  ${c.reason}` : ''}${c.message ? `: ${c.message.split('\n')[0]}` : ''}${since}`, ...(fine ? {} : { tone: 'warn' as const }) };
}

/** Builds the detail lines of a machine. */
export function machineDetailLines(row: MachineRow, view: MachineView | undefined, nowMs: number): DetailLine[] {
  const replaced = row.replacedOnDelete ? 'a replacement is created when it is deleted' : 'NOT replaced when deleted';
  return [
    ...fields([
      ['Phase', row.deletion ? `Deleting (was ${row.phase})` : row.phase, row.deletion || row.phase !== 'Running' ? 'warn' : 'ok'],
      ['Owner', `${ownerText(row)}: ${replaced}`, row.replacedOnDelete ? undefined : 'warn'],
      ['Node', row.node ?? 'none yet'],
      ['Provider ID', row.providerID],
      ['Infrastructure', view?.infrastructure ? `${view.infrastructure.kind}/${view.infrastructure.name}` : undefined],
      ['Version', row.version],
      ['Age', row.age],
      ['Summary', row.summary],
      ['Failure', view?.failureReason ? `${view.failureReason}: ${view.failureMessage ?? ''}` : undefined, 'error'],
      ['Deletion', row.deletion ? deletionProgress(row.deletion) : undefined, 'warn'],
      ['Drain timeout', seconds(view?.nodeDrainSeconds)],
      ['Volume detach timeout', seconds(view?.nodeVolumeDetachSeconds)],
      ['Marked for deletion', view?.markedForDeletion ? 'yes (cluster.x-k8s.io/delete-machine)' : undefined],
    ]),
    ...section('Conditions', (view?.conditions ?? []).map((c) => conditionLine(c, nowMs))),
    ...section('v1beta1 conditions', (view?.legacyConditions ?? []).map((c) => conditionLine(c, nowMs))),
  ];
}

/** Builds the detail lines of a rollout. */
export function rolloutDetailLines(row: RolloutRow, machines: readonly RolloutMachine[]): DetailLine[] {
  const n = (v: number | undefined) => (v === undefined ? 'not reported' : String(v));
  return [
    ...fields([
      ['Kind', row.kind],
      ['Version', row.version],
      ['Progress', row.progress],
      ['State', rolloutState(row), row.complete ? 'ok' : row.stalled ? 'error' : 'warn'],
      ['Desired / replicas', `${n(row.desired)} / ${n(row.replicas)}`],
      ['Up to date / ready / available', `${n(row.upToDate)} / ${n(row.ready)} / ${n(row.available)}`],
      ['Machines', `${row.machines.total}: ${row.machines.new} new, ${row.machines.old} old, ${row.machines.deleting} deleting`],
      ['Last movement', row.idleFor ? `${row.idleFor} ago` : undefined],
    ]),
    ...section('New machines (match the current spec)', machines.filter((m) => m.upToDate).map((m) => ({ text: `  ${m.machine.name}  ${m.machine.phase}  ${m.machine.nodeName ?? ''}`, tone: 'ok' as const }))),
    ...section('Old machines (to be replaced)', machines.filter((m) => !m.upToDate).map((m) => ({ text: `  ${m.machine.name}  ${m.machine.deleting ? 'Deleting' : m.machine.phase}  ${m.machine.nodeName ?? ''}`, tone: 'warn' as const }))),
  ];
}
