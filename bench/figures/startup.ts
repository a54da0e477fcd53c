// Figures 1 and 2 (first part): cold start of the dashboard to a complete model — every kind listed and watching,
// metrics fetched, the first full frame drawn — against `kubectl get prowjobs -A -o json` through the same tunnel;
// and the dashboard's resident memory once synced, against kubectl's peak for that one list.
import type { Cluster } from '../lib/cluster.js';
import { timed } from '../lib/children.js';
import { log, mb, sleep } from '../lib/log.js';
import { startProbe } from '../lib/probe.js';
import { result, type Result } from '../lib/results.js';
import { summarize } from '../lib/stats.js';

/** One dashboard start: time to the complete frame, and memory after `settleMs` more. */
async function dashboard(cluster: Cluster, settleMs: number) {
  const probe = startProbe(cluster);
  try {
    const done = await probe.complete;
    await sleep(settleMs);
    const { memory } = await probe.ask({ type: 'memory', collect: false }, 'memory');
    return { ms: done.at - probe.spawnedAt, modelMs: done.modelAt - probe.spawnedAt, rss: memory.rss, heap: memory.heapUsed, counts: done.counts };
  } finally {
    await probe.quit();
  }
}

export const prowJobsList = ['kubectl', 'get', 'prowjobs', '-A', '-o', 'json'];

/** Runs both sides `runs` times, alternating which goes first. */
export async function startup(cluster: Cluster, runs: number, settleMs: number, warmDashboard: boolean): Promise<Result[]> {
  const tier = cluster.tier.name;
  // Not counted: the first run of each warms the page cache, and kubectl's discovery cache (as on an operator's
  // machine, where kubectl has run before; deckhand keeps no such cache and discovers on every start).
  await timed(prowJobsList, { env: cluster.env });
  if (warmDashboard) await dashboard(cluster, 0);
  const ours: Awaited<ReturnType<typeof dashboard>>[] = [];
  const theirs: Awaited<ReturnType<typeof timed>>[] = [];
  for (let i = 0; i < runs; i++) {
    const steps = [async () => ours.push(await dashboard(cluster, settleMs)), async () => theirs.push(await timed(prowJobsList, { env: cluster.env }))];
    if (i % 2) steps.reverse();
    for (const step of steps) await step();
    const d = ours.at(-1)!;
    const k = theirs.at(-1)!;
    log(`  cold start ${tier} run ${i + 1}: deckhand ${d.ms.toFixed(0)} ms (model ${d.modelMs.toFixed(0)} ms, ${d.counts.nodes} nodes ${d.counts.pods} pods ${d.counts.prowJobs} jobs, rss ${mb(d.rss).toFixed(0)} MB), ` +
      `kubectl ${k.wallMs.toFixed(0)} ms (${mb(k.maxRssBytes).toFixed(0)} MB, ${(k.stdoutBytes / 1e6).toFixed(1)} MB of JSON)`);
  }
  const last = ours.at(-1)!.counts;
  const size = `${last.nodes} nodes, ${last.pods} pods, ${last.prowJobs} ProwJobs`;
  return [
    result('1 cold start to a complete model', tier,
      { ...summarize(ours.map((d) => d.ms), 'ms'), what: `dashboard: ${size} listed and watching, metrics fetched, first full frame drawn` },
      { ...summarize(theirs.map((k) => k.wallMs), 'ms'), what: 'kubectl get prowjobs -A -o json (one list of the ones deckhand needs)' },
      tier === 'L' ? { text: 'ratio ≤ 1.0 at L', on: 'ratio', max: 1 } : undefined),
    result('2 resident memory after sync', tier,
      { ...summarize(ours.map((d) => mb(d.rss)), 'MB'), what: `dashboard RSS ${settleMs / 1000} s after the complete frame` },
      { ...summarize(theirs.map((k) => mb(k.maxRssBytes)), 'MB'), what: 'kubectl get prowjobs -A -o json, peak RSS' },
      tier === 'L' ? { text: '≤ 250 MB at L', on: 'deckhand', max: 250 } : undefined),
  ];
}
