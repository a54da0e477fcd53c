// Screen 3, Prow jobs, in two views toggled with Tab: every ProwJob (state, job, repo#PR, timing, node, usage of
// its pod), and usage by job name (runs, now / p95 / max, requests, a suggested request, flags, a sparkline).
// Both tables are virtualised: 20,000 jobs render as the rows on screen.
import { useMemo } from 'react';
import { Box } from 'ink';
import { jobUsageSeries, selectJobPodUsage, type JobUsageRow, type ProwJobRow } from '../../store/screen-data.js';
import { selectJobUsage, selectProwJobs } from '../../store/selectors.js';
import { useDeck, useNow, type ScreenProps } from '../context.js';
import { DetailPane } from '../detail/detail-pane.js';
import type { DetailLine } from '../detail/lines.js';
import { Notice, useKindNotice } from '../shell/notice.js';
import { Table } from '../table/table.js';
import { TableTitle } from '../table/title.js';
import { useTable } from '../table/use-table.js';
import { useKeymap } from '../use-keymap.js';
import { jobColumns, usageColumns } from './columns.js';
import { jobDetailLines, usageDetailLines } from './job-detail.js';

/** `pending 12 · success 180 · failure 3`: the states that have jobs, in lifecycle order. */
export function countsText(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).filter(([, n]) => n > 0).map(([state, n]) => `${state} ${n}`).join(' · ');
}

const noUsage: JobUsageRow[] = [];

/** The Prow jobs screen. */
export function JobsScreen({ width, height, active }: ScreenProps) {
  const { useApp, useShell, shell } = useDeck();
  const now = useNow();
  const summary = useApp((s) => selectProwJobs(s, now));
  const podUsage = useApp((s) => selectJobPodUsage(s.cluster.model.pods, s.metrics.history));
  const history = useApp((s) => s.metrics.history);
  const metrics = useApp((s) => s.metrics.available !== false);
  const { detail, view } = useShell((s) => ({ detail: s.detail, view: s.views.jobs === 'usage' ? 'usage' : 'jobs' }));
  // Usage by job name reads every pod and ProwJob; it is worked out only while that view is shown.
  const usageRows = useApp((s) => (view === 'usage' ? selectJobUsage(s) : noUsage));
  const keys = active && !detail;
  const open = () => shell.getState().actions.setDetail(true);
  const jobCols = useMemo(() => jobColumns({ metrics, usage: podUsage, nowMs: now }), [metrics, podUsage, now]);
  const usageCols = useMemo(() => usageColumns({ metrics, cpuSeries: (job) => jobUsageSeries(history, job).cpu }), [metrics, history]);
  const jobs = useTable<ProwJobRow>({
    id: 'jobs', place: 'jobs', rows: summary.rows, columns: jobCols, rowKey: (r) => `${r.namespace}/${r.id}`, width, height: height - 2,
    active: keys && view === 'jobs', filtered: view === 'jobs', onOpen: open,
  });
  const usage = useTable<JobUsageRow>({
    id: 'jobs:usage', place: 'jobs', rows: usageRows, columns: usageCols, rowKey: (r) => r.job, width, height: height - 2,
    active: keys && view === 'usage', filtered: view === 'usage', onOpen: open,
  });
  useKeymap({ 'jobs.toggle-view': () => shell.getState().actions.setView('jobs', shell.getState().views.jobs === 'usage' ? 'jobs' : 'usage') }, { place: 'jobs', active: keys });
  const notice = useKindNotice('prowJobs', 'ProwJobs', summary.total > 0);
  // The ProwJob views only while a detail pane shows one: selecting the model would render the screen (and redraw
  // the frame) on every watch batch of any kind.
  const prowJobs = useApp((s) => (detail ? s.cluster.model.prowJobs : undefined));
  const lines = useMemo((): DetailLine[] => {
    if (!detail) return [];
    if (view === 'jobs') {
      const r = jobs.selected;
      return r ? jobDetailLines(r, prowJobs?.get(`${r.namespace}/${r.id}`), podUsage.get(r.id), metrics, now) : [];
    }
    const r = usage.selected;
    return r ? usageDetailLines(r, jobUsageSeries(history, r.job), history.jobs.get(r.job) ?? [], metrics, width, now) : [];
  }, [detail, view, jobs.selected, usage.selected, prowJobs, podUsage, history, metrics, width, now]);
  if (detail && lines.length > 0) {
    const title = view === 'jobs' ? `ProwJob ${jobs.selected!.id}` : `Usage of ${usage.selected!.job}`;
    return <DetailPane title={title} lines={lines} height={height} active={active} />;
  }
  if (view === 'usage') {
    const flagged = usageRows.filter((r) => r.flags.length > 0).length;
    return (
      <Box flexDirection="column">
        <TableTitle title="Usage by job name" model={usage} extra={`${flagged} flagged · Tab: jobs`} />
        {notice ? <Notice notice={notice} /> : <Table model={usage} rowTone={(r) => (r.flags.includes('over-requests') ? 'error' : undefined)} empty="no job usage recorded yet" />}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <TableTitle title="Prow jobs" model={jobs} extra={`${countsText(summary.counts) || 'none'} · Tab: usage`} />
      {notice ? <Notice notice={notice} /> : <Table model={jobs} empty="no ProwJobs" />}
    </Box>
  );
}
