// One tier's world: the simulated cluster (in this process, so that the benchmark can add objects and drive watch
// churn directly in its store), deckhand's own SOCKS tunnel to the simulated bastion (`deckhand tunnel`, a separate
// process, as an operator runs it), and a kubeconfig whose `sim-via-bastion` context goes through that tunnel, for
// deckhand and kubectl alike.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startSim, type Sim } from '../../src/sim/index.js';
import { deckhandTunnel } from './tunnels.js';
import { stop } from './children.js';

/** A tier of issue 8. */
export interface Tier {
  name: 'S' | 'M' | 'L';
  /** The large scenario's sizes; S is the demo scenario. */
  size?: { nodes: number; pods: number; prowjobs: number };
}

export const tiers: Record<Tier['name'], Tier> = {
  S: { name: 'S' },
  M: { name: 'M', size: { nodes: 50, pods: 2000, prowjobs: 5000 } },
  L: { name: 'L', size: { nodes: 200, pods: 10_000, prowjobs: 20_000 } },
};

/** A running tier. */
export interface Cluster {
  tier: Tier;
  sim: Sim;
  dir: string;
  /** kubeconfig with proxy-url on the `sim-via-bastion` cluster. */
  kubeconfig: string;
  context: string;
  proxyUrl: string;
  tunnel: ChildProcess;
  /** Environment for kubectl and deckhand's one-shot commands (own HOME, so no user config leaks in). */
  env: NodeJS.ProcessEnv;
  startedInMs: number;
  stop(): Promise<void>;
}

/** Starts the simulated cluster of a tier and the tunnel to its bastion. */
export async function startCluster(tier: Tier, work: string): Promise<Cluster> {
  const dir = join(work, `tier-${tier.name}`);
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const sim = tier.size
    ? await startSim({ scenario: 'large', size: tier.size, outDir: dir })
    : await startSim({ scenario: 'demo', timeScale: 10, outDir: dir });
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.state'), XDG_CACHE_HOME: join(home, '.cache') };
  let tunnel: ChildProcess | undefined;
  try {
    const bastion = sim.info.bastion;
    const opened = await deckhandTunnel({
      target: `${bastion.user}@${bastion.host}:${bastion.port}`, identity: join(dir, 'bastion_key'), knownHosts: join(dir, 'known_hosts'), env,
    });
    tunnel = opened.child;
    const context = 'sim-via-bastion';
    const config = parse(sim.kubeconfig) as { clusters: { name: string; cluster: Record<string, unknown> }[]; 'current-context': string };
    // kubectl accepts only socks5:// (and resolves through the proxy anyway); deckhand is given socks5h:// itself.
    for (const c of config.clusters) if (c.name === context) c.cluster['proxy-url'] = opened.proxyUrl.replace('socks5h:', 'socks5:');
    config['current-context'] = context;
    const kubeconfig = join(dir, 'kubeconfig.bench');
    writeFileSync(kubeconfig, stringify(config), { mode: 0o600 });
    env.KUBECONFIG = kubeconfig;
    const child = tunnel;
    return {
      tier, sim, dir, kubeconfig, context, proxyUrl: opened.proxyUrl, tunnel: child, env, startedInMs: performance.now() - started,
      stop: async () => {
        await stop(child);
        await sim.stop();
      },
    };
  } catch (err) {
    if (tunnel) await stop(tunnel);
    await sim.stop();
    throw err;
  }
}
