// `npm run bench [-- --quick] [--tiers S,M,L] [--figures 1,2,3,4,5,6] [--runs N] [--out DIR]`: the six figures of
// issue 8, each side by side with its reference in one run, at tiers S (demo), M and L, through deckhand's own
// SOCKS tunnel to the simulated bastion; results in bench/results.md and bench/results.json.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stopAll } from './lib/children.js';
import { startCluster, tiers, type Tier } from './lib/cluster.js';
import { log } from './lib/log.js';
import { describeMachine } from './lib/machine.js';
import { benchDir, workDir } from './lib/paths.js';
import { writeResults, type Result } from './lib/results.js';
import { churn } from './figures/churn.js';
import { growth } from './figures/growth.js';
import { latency, type Latency } from './figures/latency.js';
import { startup } from './figures/startup.js';
import { status } from './figures/status.js';
import { tunnel } from './figures/tunnel.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tiers: { type: 'string' },
    figures: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = values.quick === true;
const runs = Number(values.runs ?? (quick ? 2 : 5));
const tierNames = (values.tiers ?? (quick ? 'S,M' : 'S,M,L')).split(',') as Tier['name'][];
const figures = new Set((values.figures ?? '1,2,3,4,5,6').split(',').map(Number));

async function run(): Promise<void> {
  const started = Date.now();
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const results: Result[] = [];
  const notes: string[] = [];
  let small: Latency | undefined;
  for (const name of tierNames) {
    const tier = tiers[name];
    log(`tier ${name}: starting the simulated cluster and deckhand's tunnel`);
    // At L one kubectl list of 20,000 ProwJobs takes 20–60 s here, so the comparisons there run 3 times, not 5.
    const tierRuns = name === 'L' && values.runs === undefined && !quick ? 3 : runs;
    const cluster = await startCluster(tier, workDir);
    log(`tier ${name}: ready in ${(cluster.startedInMs / 1000).toFixed(1)} s (SOCKS ${cluster.proxyUrl})`);
    try {
      if (figures.has(1) || figures.has(2)) results.push(...(await startup(cluster, tierRuns, quick ? 1000 : 2000, !quick)));
      if (figures.has(6)) results.push(...(await status(cluster, tierRuns)));
      if (figures.has(3)) {
        const measured = await latency(cluster, quick ? 1 : 3, small);
        small ??= measured.latency;
        results.push(...measured.results);
      }
      if (figures.has(4)) results.push(...(await churn(cluster, quick)));
      if (figures.has(2) && name !== 'S') results.push(...(await growth(cluster, quick)));
    } finally {
      await cluster.stop();
    }
  }
  if (figures.has(5)) results.push(...(await tunnel(runs, quick)));
  const durationS = Math.round((Date.now() - started) / 1000);
  const machine = describeMachine({ mode: quick ? 'quick (tiers S and M)' : `full (tiers ${tierNames.join(', ')})`, durationS, runs });
  notes.push(
    'All traffic goes through SOCKS tunnels on loopback: the simulated bastion (ssh2 server) for figures 1–4 and 6, a real OpenSSH sshd for figure 5.',
    'kubectl runs with a warm discovery cache (one unmeasured run first); deckhand has no such cache and discovers every API group on each start.',
  );
  const out = resolve(values.out ?? benchDir);
  mkdirSync(out, { recursive: true });
  writeResults(out, machine, results, notes);
  log(`wrote ${join(out, 'results.md')} and results.json`);
  process.stdout.write(readFileSync(join(out, 'results.md'), 'utf8'));
  log(`done in ${durationS} s`);
}

const interrupted = () => {
  void stopAll().then(() => process.exit(130));
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);

run().then(
  async () => {
    await stopAll();
    process.exit(0);
  },
  async (err: unknown) => {
    console.error(`bench: ${(err as Error).stack ?? String(err)}`);
    await stopAll();
    process.exit(1);
  },
);
