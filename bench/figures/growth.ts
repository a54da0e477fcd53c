// Figure 2 (second part): how resident memory grows with the cluster. After the dashboard has synced, ProwJobs and
// then pods (copies of finished ones, of realistic size) are added in steps; after each step the dashboard's memory
// is read after a full garbage collection, so the growth is what the model keeps, not what the next GC would free.
// The reference is kubectl's peak RSS for the same list (`get prowjobs` / `get pods -A -o json`) before and after.
import type { Cluster } from '../lib/cluster.js';
import { finishedCopies, store } from '../lib/churn.js';
import { timed } from '../lib/children.js';
import { log, mb, sleep } from '../lib/log.js';
import { startProbe, type Probe } from '../lib/probe.js';
import { result, type Result } from '../lib/results.js';
import { summarize } from '../lib/stats.js';

/** RSS after a full GC, once the model holds `expected` objects of the kind (or stopped changing for 2 s). */
async function settledMemory(probe: Probe, kind: 'prowjobs' | 'pods', expected: number): Promise<number> {
  let last = -1;
  let stable = 0;
  for (let i = 0; i < 600 && stable < 20; i++) {
    const { counts } = await probe.ask({ type: 'memory', collect: false }, 'memory');
    const count = kind === 'prowjobs' ? counts.prowJobs : counts.pods;
    // The simulated sinker may remove some of the added pods, so the count can stop short of `expected`.
    if (count >= expected) break;
    stable = count === last ? stable + 1 : 0;
    last = count;
    await sleep(100);
  }
  await sleep(1000);
  const { memory } = await probe.ask({ type: 'memory', collect: true }, 'memory');
  log(`  after GC: rss ${mb(memory.rss).toFixed(0)} MB, heap used ${mb(memory.heapUsed).toFixed(0)} of ${mb(memory.heapTotal).toFixed(0)} MB, external ${mb(memory.external).toFixed(0)} MB`);
  return memory.rss;
}

/** Adds `steps` × `per` objects of each kind and reports the growth per 1,000. */
export async function growth(cluster: Cluster, quick: boolean): Promise<Result[]> {
  const tier = cluster.tier.name;
  const per = quick ? 1000 : cluster.tier.name === 'L' ? 5000 : 2000;
  const steps = quick ? 1 : 3;
  const probe = startProbe(cluster);
  const rows: Result[] = [];
  try {
    const done = await probe.complete;
    for (const kind of ['prowjobs', 'pods'] as const) {
      const ours: number[] = [];
      const theirs: number[] = [];
      const list = ['kubectl', 'get', kind, '-A', '-o', 'json'];
      let count = kind === 'prowjobs' ? (await probe.ask({ type: 'memory', collect: false }, 'memory')).counts.prowJobs : (await probe.ask({ type: 'memory', collect: false }, 'memory')).counts.pods;
      let before = await settledMemory(probe, kind, count);
      // kubectl's side (a list of 20,000 ProwJobs takes it 20–60 s at L) is measured once before and once after.
      const kubectlBefore = (await timed(list, { env: cluster.env })).maxRssBytes;
      for (let step = 0; step < steps; step++) {
        await store(cluster.sim, kind, finishedCopies(cluster.sim, kind, per, `bench-growth-${kind}-${step}`));
        count += per;
        const after = await settledMemory(probe, kind, count);
        ours.push(mb(after - before) / (per / 1000));
        log(`  growth ${tier} +${per} ${kind}: deckhand ${mb(before).toFixed(0)} → ${mb(after).toFixed(0)} MB`);
        before = after;
      }
      const kubectlAfter = (await timed(list, { env: cluster.env })).maxRssBytes;
      theirs.push(mb(kubectlAfter - kubectlBefore) / ((per * steps) / 1000));
      log(`  growth ${tier} kubectl ${kind}: ${mb(kubectlBefore).toFixed(0)} → ${mb(kubectlAfter).toFixed(0)} MB`);
      const name = kind === 'prowjobs' ? 'ProwJobs' : 'pods';
      rows.push(result(`2 RSS growth per 1,000 ${name}`, tier,
        { ...summarize(ours, 'MB'), what: `dashboard, ${steps} steps of +${per} ${name} from ${done.counts.prowJobs} ProwJobs / ${done.counts.pods} pods, RSS after a full GC` },
        { ...summarize(theirs, 'MB'), what: `kubectl get ${kind} -A -o json, peak RSS before and after all steps` }));
    }
  } finally {
    await probe.quit();
  }
  return rows;
}
