// The Prow jobs table (one row per ProwJob) and the usage-by-job-name table, as data. Usage reads `n/a` without
// the metrics API and `-` for a job without a sample (finished, or not started): never an unmeasured zero.
import { sparkline } from '../../format/chart.js';
import { ageSinceMs } from '../../format/duration.js';
import { formatBytesHuman, formatCpuHuman } from '../../format/quantity.js';
import type { Resources } from '../../kube/types.js';
import type { JobUsageRow, ProwJobRow } from '../../store/screen-data.js';
import type { Column } from '../table/columns.js';
import type { Tone } from '../theme.js';

/** The tone of a ProwJob state. */
export function stateTone(state: string): Tone | undefined {
  if (state === 'success') return 'ok';
  if (state === 'failure' || state === 'error') return 'error';
  if (state === 'pending' || state === 'triggered' || state === 'scheduling') return 'accent';
  return 'muted';
}

/** `org/repo#123`, or the repo alone, or empty (periodics). */
export const repoText = (r: ProwJobRow) => `${r.repo ?? ''}${r.pr !== undefined ? `#${r.pr}` : ''}`;

/** What the jobs columns need besides the row. */
export interface JobColumnContext {
  metrics: boolean;
  /** Usage of the job's pod in the latest poll, by ProwJob id. */
  usage: ReadonlyMap<string, Resources>;
  nowMs: number;
}

const usageCell = (ctx: { metrics: boolean }, value: number | undefined, format: (n: number) => string) =>
  !ctx.metrics ? 'n/a' : value === undefined ? '-' : format(value);

// The columns that read only the row are made once: the filter remembers what a row matched in them across the
// clock's ticks (table/filter.ts); age and usage are volatile and made for each context.
const stateColumn: Column<ProwJobRow> = { id: 'state', title: 'STATE', width: 9, text: (r) => r.state, tone: (r) => stateTone(r.state) };
const jobColumn: Column<ProwJobRow> = { id: 'job', title: 'JOB', width: 20, flex: 1, text: (r) => r.job };
const typeColumn: Column<ProwJobRow> = { id: 'type', title: 'TYPE', width: 10, priority: 3, text: (r) => r.type };
const repoColumn: Column<ProwJobRow> = { id: 'repo', title: 'REPO#PR', width: 20, flex: 1, priority: 2, text: repoText };
const authorColumn: Column<ProwJobRow> = { id: 'author', title: 'AUTHOR', width: 10, priority: 4, text: (r) => r.author ?? '' };
// A running job's row is rebuilt when its duration moves, so the duration reads only the row.
const durationColumn: Column<ProwJobRow> = { id: 'duration', title: 'DURATION', width: 8, align: 'right', priority: 2, text: (r) => r.duration ?? '', sortKey: (r) => r.durationMs };
const nodeColumn: Column<ProwJobRow> = { id: 'node', title: 'NODE', width: 16, priority: 3, text: (r) => r.node ?? '' };

/** The columns of the jobs view. */
export function jobColumns(ctx: JobColumnContext): Column<ProwJobRow>[] {
  return [
    stateColumn, jobColumn, typeColumn, repoColumn, authorColumn,
    // From the start parsed once per row: with 20,000 jobs this is printed on every tick.
    { id: 'age', title: 'AGE', width: 5, align: 'right', volatile: true, text: (r) => (r.started ? ageSinceMs(r.startedMs, ctx.nowMs) : ''), sortKey: (r) => (r.startedMs === undefined ? undefined : -r.startedMs) },
    durationColumn, nodeColumn,
    { id: 'cpu', title: 'CPU', width: 5, align: 'right', volatile: true, text: (r) => usageCell(ctx, ctx.usage.get(r.id)?.cpuMilli, formatCpuHuman), sortKey: (r) => ctx.usage.get(r.id)?.cpuMilli },
    { id: 'mem', title: 'MEM', width: 6, align: 'right', volatile: true, text: (r) => usageCell(ctx, ctx.usage.get(r.id)?.memoryBytes, formatBytesHuman), sortKey: (r) => ctx.usage.get(r.id)?.memoryBytes },
  ];
}

/** What the usage columns need besides the row. */
export interface UsageColumnContext {
  metrics: boolean;
  cpuSeries(job: string): readonly number[];
}

const pair = (r: { cpuMilli?: number; memoryBytes?: number } | undefined) =>
  r === undefined || (r.cpuMilli === undefined && r.memoryBytes === undefined)
    ? 'none'
    : `${r.cpuMilli === undefined ? '-' : formatCpuHuman(r.cpuMilli)}/${r.memoryBytes === undefined ? '-' : formatBytesHuman(r.memoryBytes)}`;

/** Short flags for the table; the detail pane spells them out. */
export const flagText: Record<string, string> = { 'no-requests': 'NO REQ', 'over-requests': 'OVER REQ' };

/**
 * Usage now, or undefined when no run of the job was in the last poll: the summary then sums nothing to 0/0,
 * which would read as a measured zero.
 */
export function sampledNow(r: JobUsageRow): Resources | undefined {
  return r.current && (r.current.cpuMilli > 0 || r.current.memoryBytes > 0) ? r.current : undefined;
}

/** Width of the usage sparkline. */
export const usageSparkWidth = 10;

/** The columns of the usage-by-job-name view. */
export function usageColumns(ctx: UsageColumnContext): Column<JobUsageRow>[] {
  const cpu = (pick: (r: JobUsageRow) => Resources | undefined) => (r: JobUsageRow) => usageCell(ctx, pick(r)?.cpuMilli, formatCpuHuman);
  const mem = (pick: (r: JobUsageRow) => Resources | undefined) => (r: JobUsageRow) => usageCell(ctx, pick(r)?.memoryBytes, formatBytesHuman);
  return [
    { id: 'job', title: 'JOB', width: 16, flex: 1, text: (r) => r.job },
    { id: 'runs', title: 'RUNS', width: 4, align: 'right', text: (r) => String(r.runsSeen), sortKey: (r) => r.runsSeen },
    { id: 'running', title: 'NOW', width: 3, align: 'right', text: (r) => String(r.runningNow), sortKey: (r) => r.runningNow },
    { id: 'cpu', title: 'CPU', width: 5, align: 'right', text: cpu(sampledNow), sortKey: (r) => sampledNow(r)?.cpuMilli },
    { id: 'cpup95', title: 'P95', width: 5, align: 'right', text: cpu((r) => r.p95), sortKey: (r) => r.p95?.cpuMilli },
    { id: 'cpumax', title: 'MAX', width: 5, align: 'right', priority: 3, text: cpu((r) => r.max), sortKey: (r) => r.max?.cpuMilli },
    { id: 'mem', title: 'MEM', width: 6, align: 'right', priority: 4, text: mem(sampledNow), sortKey: (r) => sampledNow(r)?.memoryBytes },
    { id: 'memp95', title: 'MP95', width: 6, align: 'right', text: mem((r) => r.p95), sortKey: (r) => r.p95?.memoryBytes },
    { id: 'memmax', title: 'MMAX', width: 6, align: 'right', priority: 3, text: mem((r) => r.max), sortKey: (r) => r.max?.memoryBytes },
    { id: 'requests', title: 'REQUESTS', width: 10, text: (r) => pair(r.requests), tone: (r) => (r.flags.includes('no-requests') ? 'warn' : undefined) },
    { id: 'suggested', title: 'SUGGEST', width: 10, priority: 2, text: (r) => (r.suggested ? pair(r.suggested) : '-') },
    { id: 'flags', title: 'FLAGS', width: 8, text: (r) => r.flags.map((f) => flagText[f] ?? f).join(','), tone: (r) => (r.flags.includes('over-requests') ? 'error' : r.flags.length ? 'warn' : undefined) },
    {
      id: 'spark', title: 'CPU TREND', width: usageSparkWidth, sortable: false,
      text: (r) => (!ctx.metrics ? 'n/a' : sparkline(ctx.cpuSeries(r.job).slice(-usageSparkWidth * 4), usageSparkWidth, { min: 0 })),
    },
  ];
}
