// The simulated cluster as a shared-suite target: `startSim` seeds the scenario through its own REST API (the same
// seedCluster the real target uses) and, when asked, runs the controllers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type KubeClient } from '../../src/kube/client.js';
import { SimClient } from '../../src/sim/client.js';
import { startSim } from '../../src/sim/index.js';
import type { Target, TargetOptions } from './target.js';

/** Starts a sim target (seed 42, like the real target). */
export async function simTarget(options: TargetOptions & { bookmarkIntervalMs?: number }): Promise<Target> {
  const logs: string[] = [];
  const sim = await startSim({
    scenario: options.scenario,
    controllers: options.controllers ?? false,
    timeScale: options.timeScale ?? 1,
    seed: 42,
    overrides: { prow: options.prow ?? true, ...options.overrides },
    ...(options.bookmarkIntervalMs ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
    log: (line) => logs.push(line),
  });
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-target-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig, { mode: 0o600 });
  const clients: KubeClient[] = [];
  const rest = new SimClient({ server: sim.info.api, caPem: sim.caPem, token: sim.token, fieldValidation: 'Strict', userAgent: 'deckhand-test' });
  return {
    kind: 'sim',
    label: `deckhand sim (${options.scenario})`,
    scenario: sim.scenario,
    access: { url: sim.info.api, caPem: sim.caPem, token: sim.token },
    kubeconfig,
    dir,
    client: (o = {}) => {
      const c = createClient({ kubeconfig, ...o });
      clients.push(c);
      return c;
    },
    rest,
    compactEvents: async () => sim.store.compact(),
    ...(options.controllers ? { controllers: { cloud: sim.cloud, clock: sim.clock, failNode: (n: string) => sim.faults.failNode(n), logs: () => logs } } : {}),
    metrics: sim.scenario.metrics,
    stop: async () => {
      for (const c of clients) c.close();
      rest.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
