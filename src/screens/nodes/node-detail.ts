// The lines of a node's detail pane: health with the heartbeat's age, capacity and usage, taints, the pods bound to
// it (Prow job pods grouped by job name, because that is what gets re-run) and recent Warning events.
import { ageSince } from '../../format/duration.js';
import { formatBytesHuman, formatCpuHuman } from '../../format/quantity.js';
import type { EventView, NodeConditionView, NodeView } from '../../kube/types.js';
import type { NodeDetailData, NodeRow } from '../../store/screen-data.js';
import { fields, section, type DetailLine } from '../detail/lines.js';
import { nodeStatusText } from './columns.js';

/** One event as a line: age, reason, count, object and message. */
export function eventLine(e: EventView, nowMs: number): DetailLine {
  const object = `${e.involved.kind.toLowerCase()}/${e.involved.name}`;
  return { text: `  ${ageSince(e.lastSeen ?? e.created, nowMs).padStart(5)}  ${e.reason}${e.count > 1 ? ` ×${e.count}` : ''}  ${object}: ${e.message}`, tone: 'warn' };
}

// Ready is healthy when True; every other kubelet condition (pressures, NetworkUnavailable) when False.
const conditionTone = (c: NodeConditionView): DetailLine['tone'] =>
  c.type === 'Ready' ? (c.status === 'True' ? 'ok' : 'error') : c.status === 'False' ? undefined : c.status === 'True' ? 'warn' : 'error';

/** One condition: `Ready=Unknown  NodeStatusUnknown: message  (heartbeat 4m ago)`; Ready's message comes from the view. */
export function conditionLine(c: NodeConditionView, view: NodeView, nowMs: number): DetailLine {
  const message = c.type === 'Ready' && view.readyMessage ? `: ${view.readyMessage}` : '';
  const heartbeat = c.lastHeartbeatTime ? `  (heartbeat ${ageSince(c.lastHeartbeatTime, nowMs)} ago)` : '';
  const tone = conditionTone(c);
  return { text: `  ${c.type}=${c.status}${c.reason ? `  ${c.reason}` : ''}${message}${heartbeat}`, ...(tone ? { tone } : {}) };
}

const usage = (metrics: boolean, value: number | undefined, percent: number | undefined, format: (n: number) => string) =>
  !metrics ? 'n/a (no metrics API)' : value === undefined ? 'no sample' : `${format(value)} (${percent}% of allocatable)`;

/** Builds the detail lines of a node. */
export function nodeDetailLines(row: NodeRow, view: NodeView | undefined, data: NodeDetailData, nowMs: number, metrics: boolean): DetailLine[] {
  const tone = row.status === 'Ready' ? 'ok' : 'error';
  const lines: DetailLine[] = fields([
    ['Status', nodeStatusText(row), tone],
    ['Heartbeat', row.heartbeatAge ? `${row.heartbeatAge} ago` : undefined, row.status === 'Ready' ? undefined : 'error'],
    ['Roles', row.roles.join(', ') || '<none>'],
    ['Version', row.version],
    ['Machine', row.machine ? `${row.machine.namespace}/${row.machine.name} (by ${row.machine.matchedBy})` : 'none found'],
    ['Provider ID', view?.providerID],
    ['Internal IP', view?.internalIP],
    ['Age', row.age],
    ['CPU', `${usage(metrics, row.cpu.usage, row.cpu.usagePercent, formatCpuHuman)}; requested ${formatCpuHuman(row.cpu.requested)} (${row.cpu.requestedPercent}%) of ${formatCpuHuman(row.cpu.allocatable)}`],
    ['Memory', `${usage(metrics, row.memory.usage, row.memory.usagePercent, formatBytesHuman)}; requested ${formatBytesHuman(row.memory.requested)} (${row.memory.requestedPercent}%) of ${formatBytesHuman(row.memory.allocatable)}`],
    ['Pods', `${row.pods} of ${row.podCapacity}, ${row.prowJobPods} running Prow job pods`],
  ]);
  const conditions: DetailLine[] = view?.conditions.length
    ? view.conditions.map((c) => conditionLine(c, view, nowMs))
    : [
      { text: `  Ready=${view?.ready ?? row.status}${view?.readyReason ? `  ${view.readyReason}` : ''}${view?.readyMessage ? `: ${view.readyMessage}` : ''}${row.heartbeatAge ? `  (heartbeat ${row.heartbeatAge} ago)` : ''}`, tone },
      ...row.pressure.map((p) => ({ text: `  ${p}=True`, tone: 'warn' as const })),
    ];
  const taints = (view?.taints ?? []).map((t) => ({ text: `  ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`, ...(row.taints.includes(`${t.key}:${t.effect}`) ? { tone: 'warn' as const } : {}) }));
  const jobPods = data.jobPods.flatMap(({ job, pods }) => [
    { text: `  ${job} ×${pods.length}` },
    ...pods.map((p) => ({ text: `      ${p.namespace}/${p.name}  ${p.status}${p.job?.type ? `  ${p.job.type}` : ''}`, tone: 'muted' as const })),
  ]);
  const others = data.otherPods.map((p) => ({ text: `  ${p.namespace}/${p.name}  ${p.status}${p.restarts ? `  restarts ${p.restarts}` : ''}` }));
  return [
    ...lines,
    ...section('Conditions', conditions),
    ...section('Taints', taints),
    ...section('Prow job pods (by job name)', jobPods),
    ...section('Other pods', others),
    ...section('Recent Warning events', data.events.slice(0, 20).map((e) => eventLine(e, nowMs))),
  ];
}
