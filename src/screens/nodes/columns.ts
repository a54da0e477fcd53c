// The Nodes table as data. Usage reads `n/a` when the metrics API is missing (the header says why) and `-` when
// a node has no sample (e.g. its kubelet stopped reporting): never a zero that was not measured.
import { sparkline } from '../../format/chart.js';
import { formatBytesHuman, formatCpuHuman } from '../../format/quantity.js';
import type { NodeResourceColumn, NodeRow } from '../../store/screen-data.js';
import { ageMs } from '../table/age.js';
import type { Column } from '../table/columns.js';
import { percentTone } from '../theme.js';

/** What the columns need besides the row. */
export interface NodeColumnContext {
  /** False when the cluster serves no metrics API. */
  metrics: boolean;
  cpuSeries(node: string): readonly number[];
}

/** Width of the CPU history sparkline. */
export const sparkWidth = 10;

/** Not ready and unknown nodes first (they are why on-call opens this screen), then by name. */
export function nodeOrder(rows: readonly NodeRow[]): NodeRow[] {
  const rank = (r: NodeRow) => (r.status === 'Ready' ? 1 : 0);
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** `Ready`, `Ready,cordoned`, `Unknown 4m` (heartbeat age when not ready). */
export function nodeStatusText(row: NodeRow): string {
  const base = row.status === 'Ready' ? row.status : `${row.status}${row.heartbeatAge ? ` ${row.heartbeatAge}` : ''}`;
  return row.schedulable ? base : `${base},cordoned`;
}

/** `7.8 97%` (usage and % of allocatable), `n/a` without the metrics API, `-` without a sample for the node. */
const usageText = (ctx: NodeColumnContext, c: NodeResourceColumn, format: (n: number) => string) =>
  !ctx.metrics ? 'n/a' : c.usage === undefined ? '-' : `${format(c.usage)} ${c.usagePercent}%`;
const requested = (c: NodeResourceColumn, format: (n: number) => string) => `${format(c.requested)} ${c.requestedPercent}%`;

/** The columns of the Nodes table. */
export function nodeColumns(ctx: NodeColumnContext): Column<NodeRow>[] {
  return [
    { id: 'name', title: 'NAME', width: 16, flex: 2, text: (r) => r.name },
    { id: 'status', title: 'STATUS', width: 12, text: nodeStatusText, sortKey: (r) => `${r.status === 'Ready' ? 1 : 0}${r.name}`, tone: (r) => (r.status === 'Ready' ? (r.schedulable ? 'ok' : 'warn') : 'error') },
    { id: 'roles', title: 'ROLES', width: 13, priority: 5, text: (r) => r.roles.join(',') || '<none>' },
    { id: 'version', title: 'VERSION', width: 8, priority: 6, text: (r) => r.version ?? '' },
    { id: 'cpu', title: 'CPU', width: 8, align: 'right', text: (r) => usageText(ctx, r.cpu, formatCpuHuman), sortKey: (r) => r.cpu.usagePercent, tone: (r) => percentTone(r.cpu.usagePercent) },
    { id: 'cpureq', title: 'CPU REQ', width: 8, align: 'right', priority: 2, text: (r) => requested(r.cpu, formatCpuHuman), sortKey: (r) => r.cpu.requestedPercent },
    { id: 'mem', title: 'MEM', width: 9, align: 'right', text: (r) => usageText(ctx, r.memory, formatBytesHuman), sortKey: (r) => r.memory.usagePercent, tone: (r) => percentTone(r.memory.usagePercent) },
    { id: 'memreq', title: 'MEM REQ', width: 9, align: 'right', priority: 2, text: (r) => requested(r.memory, formatBytesHuman), sortKey: (r) => r.memory.requestedPercent },
    { id: 'pods', title: 'PODS', width: 7, align: 'right', text: (r) => `${r.pods}/${r.podCapacity}`, sortKey: (r) => r.pods },
    { id: 'jobs', title: 'JOBS', width: 4, align: 'right', text: (r) => String(r.prowJobPods), sortKey: (r) => r.prowJobPods },
    { id: 'machine', title: 'MACHINE', width: 20, priority: 4, flex: 1, text: (r) => r.machine?.name ?? '' },
    { id: 'age', title: 'AGE', width: 5, align: 'right', text: (r) => r.age, sortKey: (r) => ageMs(r.age) },
    {
      id: 'cpuhist', title: 'CPU TREND', width: sparkWidth, priority: 3, sortable: false,
      text: (r) => (!ctx.metrics ? 'n/a' : sparkline(ctx.cpuSeries(r.name).slice(-sparkWidth * 4), sparkWidth, { min: 0, max: r.cpu.allocatable })),
    },
  ];
}
