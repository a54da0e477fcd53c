// Figure 3: keystroke-to-frame latency on the Prow jobs screen while typing a filter and paging, measured with the
// render loop instrumented (bench/probe/keys.ts). The reference is the same script on tier S (the demo's handful of
// jobs): what the keys cost when the table is small, so the ratio is what the size of the model adds.
import type { Cluster } from '../lib/cluster.js';
import { log } from '../lib/log.js';
import { startProbe } from '../lib/probe.js';
import type { Keystroke } from '../lib/protocol.js';
import { result, type Result } from '../lib/results.js';
import { percentile, summarize } from '../lib/stats.js';

/** p50 and p95 of each run. */
export interface Latency {
  p50: number[];
  p95: number[];
}

const esc = '\x1b';
const pageDown = '\x1b[6~';
const pageUp = '\x1b[5~';

/** The operator's keys: to the jobs screen, a filter typed letter by letter, paging, clearing, paging the whole list. */
export function script(filter: string): Keystroke[] {
  const keys: Keystroke[] = [{ data: '3', label: 'screen 3' }, { data: '/', label: 'open filter' }];
  for (let i = 1; i <= filter.length; i++) keys.push({ data: filter[i - 1]!, label: `type ${filter.slice(0, i)}` });
  keys.push({ data: '\r', label: 'enter' });
  for (let i = 0; i < 6; i++) keys.push({ data: pageDown, label: 'page down (filtered)' });
  for (let i = 0; i < 3; i++) keys.push({ data: pageUp, label: 'page up (filtered)' });
  keys.push({ data: esc, label: 'clear filter' });
  for (let i = 0; i < 10; i++) keys.push({ data: pageDown, label: 'page down' });
  keys.push({ data: 'G', label: 'last row' }, { data: 'g', label: 'first row' });
  keys.push({ data: '/', label: 'open filter' });
  for (let i = 1; i <= 4; i++) keys.push({ data: 'pull'[i - 1]!, label: `type ${'pull'.slice(0, i)}` });
  keys.push({ data: '\x7f', label: 'backspace' });
  keys.push({ data: esc, label: 'clear filter' });
  return keys;
}

const gapMs = 120; // a fast typist: about 8 keys per second

/** Runs the script `runs` times (a fresh dashboard each time) and reports p50 and p95. */
export async function latency(cluster: Cluster, runs: number, small?: Latency): Promise<{ latency: Latency; results: Result[] }> {
  const tier = cluster.tier.name;
  const measured: Latency = { p50: [], p95: [] };
  let missed = 0;
  let keys = 0;
  for (let i = 0; i < runs; i++) {
    const probe = startProbe(cluster);
    try {
      await probe.complete;
      const reply = await probe.ask({ type: 'keys', script: script('lint'), gapMs }, 'keys');
      const changed = reply.timings.filter((t) => t.changed);
      const ms = changed.map((t) => t.ms).filter((m): m is number => m !== null);
      missed += changed.length - ms.length;
      keys += changed.length;
      measured.p50.push(percentile(ms, 50));
      measured.p95.push(percentile(ms, 95));
      const slowest = [...changed].sort((a, b) => (b.ms ?? Infinity) - (a.ms ?? Infinity)).slice(0, 3);
      if (process.env.BENCH_KEYS) log(reply.timings.map((t) => `${t.label}=${t.ms === null ? (t.changed ? 'none' : 'noop') : t.ms.toFixed(0)}`).join(' '));
      if (process.env.BENCH_FRAMES) log((await probe.ask({ type: 'frame' }, 'frame')).text);
      log(`  keys ${tier} run ${i + 1}: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, ` +
        `slowest ${slowest.map((t) => `${t.label} ${t.ms === null ? 'none' : t.ms.toFixed(0)}`).join(', ')}; ${reply.frames} frames`);
    } finally {
      await probe.quit();
    }
  }
  const note = missed > 0 ? `${missed} of ${keys} keys drew no frame within 5 s and are left out` : undefined;
  // Keys that changed nothing (paging past the end) are not counted; every other key of the script is.
  const what = `Prow jobs screen, ${script('lint').length} keys per run (filter typed, paging, clearing) at ${gapMs} ms intervals, 160×48 terminal`;
  const reference = (values: number[] | undefined, p: string) => (values && tier !== 'S' ? { ...summarize(values, 'ms'), what: `the same keys at tier S, ${p}` } : null);
  return {
    latency: measured,
    results: [
      result('3 keystroke-to-frame latency p50', tier, { ...summarize(measured.p50, 'ms'), what, ...(note ? { note } : {}) }, reference(small?.p50, 'p50')),
      result('3 keystroke-to-frame latency p95', tier, { ...summarize(measured.p95, 'ms'), what }, reference(small?.p95, 'p95'), { text: 'p95 ≤ 50 ms', on: 'deckhand', max: 50 }),
    ],
  };
}
