// Figure 6: `deckhand status --json` (every kind listed once, metrics polled once, the derived tables printed)
// against `kubectl get nodes,machines,machinedeployments,prowjobs -A -o json`, through the same tunnel.
import type { Cluster } from '../lib/cluster.js';
import { timed } from '../lib/children.js';
import { log } from '../lib/log.js';
import { deckhandCli } from '../lib/paths.js';
import { result, type Result } from '../lib/results.js';
import { summarize } from '../lib/stats.js';

/** Runs both commands `runs` times, alternating which goes first. */
export async function status(cluster: Cluster, runs: number): Promise<Result[]> {
  const ours = [process.execPath, deckhandCli, 'status', '--json', '--kubeconfig', cluster.kubeconfig, '--context', cluster.context, '--proxy-url', cluster.proxyUrl];
  const theirs = ['kubectl', 'get', 'nodes,machines,machinedeployments,prowjobs', '-A', '-o', 'json'];
  await timed(ours, { env: cluster.env });
  await timed(theirs, { env: cluster.env });
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    const steps = [async () => a.push((await timed(ours, { env: cluster.env })).wallMs), async () => b.push((await timed(theirs, { env: cluster.env })).wallMs)];
    if (i % 2) steps.reverse();
    for (const step of steps) await step();
    log(`  status ${cluster.tier.name} run ${i + 1}: deckhand ${a.at(-1)!.toFixed(0)} ms, kubectl ${b.at(-1)!.toFixed(0)} ms`);
  }
  return [
    result('6 deckhand status --json', cluster.tier.name,
      { ...summarize(a, 'ms'), what: 'deckhand status --json (all kinds, metrics, derived tables)' },
      { ...summarize(b, 'ms'), what: 'kubectl get nodes,machines,machinedeployments,prowjobs -A -o json' }),
  ];
}
