// bastion-swap inside the dashboard as `deckhand --demo` wires it (ui-wiring.ts: the demo tunnel to the simulated
// bastion, the shared route, the cluster link, the run factory), walked key by key against deckhand sim: the
// dashboard's own connection goes direct (the header says so and the watches keep working), then through a tunnel
// to the new bastion (the header follows it), and the temporary allowlist entry is gone at the end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deckhandPaths } from '../../src/cli/paths.js';
import { runProfile } from '../../src/cli/runbook-setup.js';
import { demoTunnel } from '../../src/cli/ui-tunnel.js';
import { wireDashboard, type Wiring } from '../../src/cli/ui-wiring.js';
import { listViews } from '../../src/kube/runbook-reads.js';
import { createPromptStore } from '../../src/store/prompt-store.js';
import { runbookFixture, type RunbookFixture } from '../runbooks/helpers.js';
import { dash, type Dash } from './harness.js';

describe('bastion-swap in the dashboard (deckhand sim, capi-v1beta1)', () => {
  let fx: RunbookFixture;
  let wiring: Wiring;
  let d: Dash;
  const logged: string[] = [];
  before(async () => {
    fx = await runbookFixture({ scenario: 'capi-v1beta1', timeScale: 100, overrides: { prow: false } });
    const paths = deckhandPaths({ XDG_STATE_HOME: `${fx.dir}/state`, XDG_CONFIG_HOME: `${fx.dir}/config` });
    const log = (line: string) => void logged.push(line);
    wiring = wireDashboard({
      paths, log, prompts: createPromptStore(), clusterTimeScale: fx.timeScale,
      runProfile: { ...runProfile(undefined, {}), name: 'demo', echoIpUrl: fx.sim.info.echoIpUrl },
      session: { profile: 'demo', production: false, readOnly: false, demo: true },
      kubeconfig: fx.kubeconfig, context: 'sim-via-bastion', tunnelContext: 'sim-via-bastion', tunnel: await demoTunnel(fx.sim, log),
    });
    d = dash({ stores: { store: wiring.store, shell: wiring.shell }, runbooks: wiring.runbooks, prompts: wiring.prompts, size: { columns: 120, rows: 40 } });
    wiring.start();
  });
  after(async () => {
    d?.unmount();
    await wiring?.stop();
    await fx?.stop();
  });

  const header = () => d.frame().split('\n')[1] ?? '';
  /** Waits for step `n` to ask, then confirms it with y. */
  async function confirm(n: number, title: string, timeoutMs = 30_000): Promise<string> {
    const frame = await d.waitFor(`${n}. ${title} — waiting for you`, timeoutMs);
    await d.press('y');
    return frame;
  }

  it('goes direct, then through the new bastion; the header and the watches follow', async () => {
    const oldHost = fx.sim.info.bastion.host;
    await d.waitFor(new RegExp(`tunnel ubuntu@${oldHost.replace(/\./g, '\\.')}:\\d+ ✓`), 30_000);
    await d.waitFor(/API v\S+ events \d+s ago/, 30_000);
    await d.press('5');
    await d.waitFor(`bastion ${oldHost} running image`, 20_000);
    await d.press('B');
    const first = await confirm(1, 'Preconditions');
    assert.match(first.replace(/\s+/g, ' '), /last resort: .*openstack loadbalancer listener unset --allowed-cidrs <listener-id>/);
    await confirm(2, 'Your public IP');
    await confirm(3, 'Allow your IP and check the API directly');
    await confirm(4, "Switch deckhand's connection to direct");
    await d.waitFor('5. Disable the bastion — waiting for you', 30_000);
    // The dashboard itself is direct now, and its watches were reconnected that way.
    await d.waitFor(/\nno tunnel \(direct\) │ API v\S+ events \d+s ago/, 30_000);
    await d.press('y');
    await confirm(6, 'Set the image and enable the bastion');
    const trust = await confirm(7, 'Trust the new host key and reopen the tunnel', 60_000);
    const newHost = fx.sim.bastion()!.host;
    assert.notEqual(newHost, oldHost);
    assert.ok(trust.includes(fx.sim.bastion()!.fingerprint), 'the new host key is shown before it is trusted');
    await d.waitFor('8. Remove the temporary entry — waiting for you', 30_000);
    await d.waitFor(new RegExp(`\\ntunnel ubuntu@${newHost.replace(/\./g, '\\.')}:\\d+ ✓.* │ API v\\S+ events \\d+s ago`), 30_000);
    await d.press('y');
    await d.waitFor('run done — c clears', 30_000);
    const cluster = (await listViews(fx.client(), await fx.discovery(), 'openstackClusters'))[0]!;
    assert.ok(!cluster.apiServerLoadBalancer.allowedCidrs?.includes('127.0.0.1/32'), 'the temporary entry is gone');
    // The watches run through the new tunnel: the model is still there and fresh.
    await d.press('1');
    await d.waitFor(/Nodes {2}\d+ /);
    assert.match(header(), /│ API v\S+ events \d+s ago/);
    assert.ok(logged.some((l) => l === 'route: direct'));
    assert.ok(logged.some((l) => l.startsWith(`route: tunnel through ubuntu@${newHost}:`)));
  });
});
