// Figure 4: sustained watch churn. ProwJob and pod events are written at rising rates; a rate is absorbed when the
// writer reached it and, once writing stops, the dashboard has applied every event within half a second (a backlog
// that grew during the step takes longer to drain). Then the CPU the dashboard and its tunnel use at 200 events/s.
// The reference is kubectl watching the same two collections (`kubectl get … -A --watch-only -o name`, one process
// per collection, as kubectl watches one kind at a time), measured the same way from its output.
import type { ChildProcess } from 'node:child_process';
import type { Cluster } from '../lib/cluster.js';
import { Churn } from '../lib/churn.js';
import { launch, processCpuMs, stop } from '../lib/children.js';
import { log, sleep } from '../lib/log.js';
import { startProbe, type Probe } from '../lib/probe.js';
import { result, type Result } from '../lib/results.js';
import { summarize } from '../lib/stats.js';

/** Something that absorbs events: how many of the churn set's it has applied, and the CPU it has used (ms). */
interface Absorber {
  applied(): Promise<number>;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

// A dashboard that keeps up ends a step at most a batch interval (250 ms) and a frame behind; one that does not has
// a backlog that grew through the step and takes longer to drain (over a 5 s step, > 1 s means more than ~20% of it).
const drainLimitMs = 1000;

async function dashboardAbsorber(cluster: Cluster, churn: Churn): Promise<Absorber> {
  const probe: Probe = startProbe(cluster);
  await probe.complete;
  // The Prow jobs screen: where these events show (state column, counts by state), so where they cost most.
  await probe.ask({ type: 'keys', script: [{ data: '3', label: 'screen 3' }], gapMs: 0 }, 'keys');
  await probe.ask({ type: 'watch', names: churn.names() }, 'watching');
  const tunnelPid = cluster.tunnel.pid!;
  return {
    applied: async () => (await probe.ask({ type: 'applied' }, 'applied')).applied,
    // The dashboard opens its tunnel in its own process; here the tunnel is `deckhand tunnel`, so both count.
    cpuMs: async () => {
      const { cpu } = await probe.ask({ type: 'applied' }, 'applied');
      return (cpu.user + cpu.system) / 1000 + processCpuMs(tunnelPid);
    },
    stop: () => probe.quit(),
  };
}

async function kubectlAbsorber(cluster: Cluster, churn: Churn): Promise<Absorber> {
  let lines = 0;
  const seen = { prowjobs: 0, pods: 0 };
  const watchers: ChildProcess[] = (['prowjobs', 'pods'] as const).map((kind) => {
    const child = launch('kubectl', ['get', kind, '-A', '--watch-only', '-o', 'name'], { env: cluster.env });
    let rest = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        if (!line.includes('bench-churn-')) continue;
        lines += 1;
        seen[kind] += 1;
      }
    });
    return child;
  });
  // kubectl lists before it watches (at L, 20,000 ProwJobs take it 20–60 s) and says nothing when the watch is open:
  // trickle events until both watches print them.
  const deadline = performance.now() + 180_000;
  while ((seen.prowjobs === 0 || seen.pods === 0) && performance.now() < deadline) await churn.run(10, 1000);
  if (seen.prowjobs === 0 || seen.pods === 0) throw new Error('kubectl watches printed no event within 180 s');
  return {
    applied: async () => lines,
    cpuMs: async () => watchers.reduce((sum, w) => sum + processCpuMs(w.pid!), 0) + processCpuMs(cluster.tunnel.pid!),
    stop: async () => {
      await Promise.all(watchers.map((w) => stop(w)));
    },
  };
}

/** Waits until the absorber has applied `target` events; returns how long that took (ms), or Infinity. */
async function drain(absorber: Absorber, target: number, limitMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    if ((await absorber.applied()) >= target) return performance.now() - start;
    await sleep(25);
  }
  return Infinity;
}

/** The highest absorbed rate of the steps, and the CPU share at 200 events/s (percent of one core). */
async function measure(absorber: Absorber, churn: Churn, rates: number[], stepMs: number, cpuMs: number, label: string) {
  // The set's creation and anything before: settle first, then count from here.
  let base = await absorber.applied();
  await sleep(1000);
  base = await absorber.applied();
  let generatedBefore = 0;
  let best = 0;
  let limit = '';
  for (const rate of rates) {
    const { generated, elapsedMs } = await churn.run(rate, stepMs);
    generatedBefore += generated;
    const took = await drain(absorber, base + generatedBefore, 15_000);
    const achieved = (generated * 1000) / elapsedMs;
    log(`  churn ${label} ${rate}/s: wrote ${achieved.toFixed(0)}/s, drained ${Number.isFinite(took) ? `${took.toFixed(0)} ms` : 'never (15 s)'} after the step`);
    base = await absorber.applied();
    generatedBefore = 0;
    if (took > drainLimitMs) {
      limit = `${achieved.toFixed(0)}/s left a backlog (${Number.isFinite(took) ? `${took.toFixed(0)} ms` : 'over 15 s'} to drain after ${stepMs / 1000} s)`;
      break;
    }
    // What was written and applied without a backlog is absorbed, whether or not the writer hit its target.
    best = Math.max(best, achieved);
    if (achieved < rate * 0.9) {
      limit = `the writer reached only ${achieved.toFixed(0)}/s of ${rate}/s: the simulated API server and bastion, on the same cores, are the limit`;
      break;
    }
  }
  if (!limit) limit = `every rate tried was absorbed (up to ${rates.at(-1)}/s)`;
  await sleep(500);
  const samples: number[] = [];
  for (let i = 0; i < 2; i++) {
    const before = await absorber.cpuMs();
    const t0 = performance.now();
    await churn.run(200, cpuMs / 2);
    const used = (await absorber.cpuMs()) - before;
    samples.push((used / (performance.now() - t0)) * 100);
  }
  log(`  churn ${label}: absorbed ${best.toFixed(0)}/s (${limit}); CPU at 200/s ${samples.map((s) => s.toFixed(1)).join(', ')} %`);
  return { best, limit, cpu: samples };
}

/** Runs the churn figure on the dashboard and on kubectl. */
export async function churn(cluster: Cluster, quick: boolean): Promise<Result[]> {
  const tier = cluster.tier.name;
  const rates = quick ? [1000, 2000, 4000] : [250, 500, 1000, 2000, 3000, 4000, 6000, 8000];
  const stepMs = quick ? 2000 : 5000;
  const cpuMs = quick ? 4000 : 10_000;
  const set = await Churn.create(cluster.sim, 1000);
  try {
    const ours = await dashboardAbsorber(cluster, set);
    let a;
    try {
      a = await measure(ours, set, rates, stepMs, cpuMs, `${tier} deckhand`);
    } finally {
      await ours.stop();
    }
    const theirs = await kubectlAbsorber(cluster, set);
    let b;
    try {
      b = await measure(theirs, set, rates, stepMs, cpuMs, `${tier} kubectl`);
    } finally {
      await theirs.stop();
    }
    return [
      result('4 watch events absorbed per second', tier,
        { ...summarize([a.best], 'events/s'), what: `dashboard, ${stepMs / 1000} s steps, ≤ ${drainLimitMs} ms to drain after each`, note: `stopped at: ${a.limit}` },
        { ...summarize([b.best], 'events/s'), what: `kubectl get prowjobs/pods -A --watch-only -o name (stopped at: ${b.limit})` },
        { text: '≥ 2,000 events/s', on: 'deckhand', min: 2000 }),
      result('4 CPU at 200 events/s', tier,
        { ...summarize(a.cpu, '% of a core'), what: 'dashboard process + its tunnel process' },
        { ...summarize(b.cpu, '% of a core'), what: 'the two kubectl watch processes + the same tunnel' },
        { text: '≤ 25% of one core', on: 'deckhand', max: 25 }),
    ];
  } finally {
    await set.remove();
  }
}
