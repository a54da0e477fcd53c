// Detail lines of one ProwJob, and of one job name's usage with asciichart line charts of CPU and memory over
// time (charts are strings, so they sit inside Ink's <Text> like any other line).
import asciichart from 'asciichart';
import { resample } from '../../format/chart.js';
import { ageSince, humanAge } from '../../format/duration.js';
import { formatBytesHuman, formatCpuHuman } from '../../format/quantity.js';
import type { ProwJobView, Resources } from '../../kube/types.js';
import type { JobUsageRow, ProwJobRow } from '../../store/screen-data.js';
import { fields, section, type DetailLine } from '../detail/lines.js';
import { repoText, stateTone } from './columns.js';

const cpuMem = (r: { cpuMilli?: number; memoryBytes?: number } | undefined) =>
  r ? `${r.cpuMilli === undefined ? 'no CPU' : `${formatCpuHuman(r.cpuMilli)} CPU`}, ${r.memoryBytes === undefined ? 'no memory' : formatBytesHuman(r.memoryBytes)}` : undefined;

/** Builds the detail lines of a ProwJob. */
export function jobDetailLines(row: ProwJobRow, view: ProwJobView | undefined, usage: Resources | undefined, metrics: boolean, nowMs: number): DetailLine[] {
  const pull = view?.pulls[0];
  return [
    ...fields([
      ['State', row.state, stateTone(row.state)],
      ['Job', row.job],
      ['Type', row.type],
      ['Repository', repoText(row) || undefined],
      ['Pull request', pull ? `#${pull.number}${pull.title ? ` ${pull.title}` : ''}${pull.author ? ` by ${pull.author}` : ''}` : undefined],
      ['Base ref', view?.baseRef],
      ['Started', row.started ? `${row.started} (${ageSince(row.started, nowMs)} ago)` : undefined],
      ['Duration', row.duration],
      ['Completed', view?.completed],
      ['Node', row.node],
      ['Pod', view?.podName],
      ['Usage now', !metrics ? 'n/a (no metrics API)' : (cpuMem(usage) ?? 'no sample (not running)')],
      ['Description', view?.description],
      ['URL', row.url],
    ]),
    ...section('Requests per container', (view?.requests ?? []).map((c) => ({ text: `  ${c.name}: ${cpuMem(c) ?? ''}` })), 'no requests set'),
  ];
}

/** A run of a job as the metrics history keeps it. */
export interface RunSummary {
  pod: string;
  node?: string;
  firstSeen: number;
  lastSeen: number;
  peak: Resources;
}

/** An asciichart plot of a series in `width` columns (labels included), or a note when there is too little data. */
export function chartLines(series: readonly number[], width: number, format: (n: number) => string): DetailLine[] {
  if (series.length < 2) return [{ text: '  not enough samples yet (one per metrics poll)', tone: 'muted' }];
  const labelWidth = 10;
  const points = resample(series, Math.max(10, width - labelWidth - 2));
  const plot = asciichart.plot(points, { height: 6, min: 0, format: (n: number) => format(n).padStart(labelWidth - 2) });
  return plot.split('\n').map((text) => ({ text: `  ${text}` }));
}

/** Builds the detail lines of a job name's usage. */
export function usageDetailLines(row: JobUsageRow, series: { cpu: readonly number[]; memory: readonly number[] }, runs: readonly RunSummary[], metrics: boolean, width: number, nowMs: number): DetailLine[] {
  const flags: DetailLine[] = [
    ...(row.flags.includes('no-requests') ? [{ text: '  NO REQUESTS: the job does not set CPU and memory requests, so the scheduler packs it blindly', tone: 'warn' as const }] : []),
    ...(row.flags.includes('over-requests') ? [{ text: '  OVER REQUESTS: a run used more than the job requests', tone: 'error' as const }] : []),
  ];
  if (!metrics) return [...fields([['Job', row.job], ['Runs seen', String(row.runsSeen)], ['Running now', String(row.runningNow)], ['Usage', 'n/a: the cluster serves no metrics API']]), ...flags];
  return [
    ...fields([
      ['Job', row.job],
      ['Runs seen / running now', `${row.runsSeen} / ${row.runningNow}`],
      ['Now (all its pods)', cpuMem(row.current) ?? 'no sample yet'],
      ['p95 of run peaks', cpuMem(row.p95) ?? '-'],
      ['Max of run peaks', cpuMem(row.max) ?? '-'],
      ['Requests (per pod)', cpuMem(row.requests) ?? 'none'],
      ['Suggested request', row.suggested ? `${cpuMem(row.suggested)} (p95 + 20%)` : '-'],
    ]),
    ...flags,
    ...section('CPU over time (sum over the job\'s pods)', chartLines(series.cpu, width, formatCpuHuman)),
    ...section('Memory over time', chartLines(series.memory, width, formatBytesHuman)),
    ...section('Recent runs (peak per run)', [...runs].reverse().slice(0, 15).map((r) => ({
      text: `  ${r.pod}  ${r.node ?? ''}  peak ${cpuMem(r.peak)}  seen ${humanAge(nowMs - r.lastSeen)} ago`,
    }))),
  ];
}
