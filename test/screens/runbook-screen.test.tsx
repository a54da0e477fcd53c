// The runbook engine inside the dashboard, driven like an operator would at 120×40: the real <App> with live stores
// watching deckhand sim, the composition root's run factory (src/cli/ui-runbooks.ts) and the request bridge. `+` on
// prow-md-0 opens the runbook view with the parameters filled in, y/Enter walk it to done and the Machines screen
// shows the new machine; Esc leaves a run (the status line keeps it in sight) and `o` comes back; a production
// scale-in needs the name typed; invalid parameters are shown, not started; read-only has no runbook key at all.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dashboardRunFactory } from '../../src/cli/ui-runbooks.js';
import type { ClusterSession } from '../../src/kube/session.js';
import { createConnection } from '../../src/runbooks/connection.js';
import type { RunProfile } from '../../src/runbooks/types.js';
import { createAppStore } from '../../src/store/app-store.js';
import { connectCluster } from '../../src/store/connect.js';
import { bridgeRunbookRequests } from '../../src/store/runbook-bridge.js';
import { createRunbookStore } from '../../src/store/runbook-slice.js';
import { createShellStore, type SessionInfo } from '../../src/store/shell-store.js';
import { auditEntries, profile, runbookFixture, type RunbookFixture } from '../runbooks/helpers.js';
import { dash, keys, type Dash } from './harness.js';

describe('runbooks inside the dashboard (deckhand sim, capi-v1beta2)', () => {
  let fx: RunbookFixture;
  const sessions: ClusterSession[] = [];
  before(async () => {
    fx = await runbookFixture({ scenario: 'capi-v1beta2', timeScale: 100 });
  });
  after(async () => {
    for (const s of sessions) s.stop();
    await fx?.stop();
  });

  // Each dashboard keeps its runs in a journal of its own: a run that a failed test left unfinished (aborted while
  // still previewing on a loaded machine) must not refuse the next test's run as well.
  let journals = 0;

  /** The dashboard as the composition root wires it, watching the sim, with runs built by the real factory. */
  async function dashboard(p: RunProfile, session: Partial<SessionInfo> = {}): Promise<Dash & { stop(): void }> {
    const store = createAppStore();
    const shell = createShellStore({ session: { context: 'sim', profile: p.name, contexts: ['sim'], production: p.production, readOnly: p.readOnly, ...session } });
    sessions.push(await connectCluster(store, { client: fx.client() }));
    const runbooks = createRunbookStore(dashboardRunFactory({
      journalDir: join(fx.journalDir, String(++journals)), auditLog: fx.auditLog, profile: p, clusterTimeScale: fx.timeScale, log: () => undefined,
      connection: () => createConnection({ kubeconfig: fx.kubeconfig, context: 'sim', initial: { mode: 'direct' } }),
    }));
    const unbridge = bridgeRunbookRequests(shell, runbooks);
    const d = dash({ stores: { store, shell }, runbooks, size: { columns: 120, rows: 40 } });
    // A run a failed test left behind is aborted, so the next test is not refused for an unfinished one.
    return { ...d, stop: () => (unbridge(), runbooks.getState().actions.abort(), d.unmount()) };
  }

  /** Machines screen, focus on the rollouts, prow-md-0 selected. */
  async function selectPool(d: Dash): Promise<void> {
    await d.press('2');
    await d.waitFor(/MD +prow-md-0 /, 20_000);
    await d.press(keys.tab);
    await d.waitFor('▸ Rollouts');
    await d.press('j');
    await d.waitFor(/› MD +prow-md-0 /);
  }

  it('+ on prow-md-0: the runbook view with its parameters, y/Enter to done, and the new machine on the Machines screen', async () => {
    const d = await dashboard(profile());
    try {
      await selectPool(d);
      assert.match(d.frame(), /Machines {2}3\b/);
      await d.press('+');
      let frame = await d.waitFor('1. MachineDeployment, nodes and pending pods — waiting for you', 20_000);
      assert.match(frame, /MachineDeployment default\/prow-md-0: desired 2, ready 2, available 2/);
      assert.match(frame, /Esc leave/, 'the footer shows the runbook view\'s keys');
      // Leaving the view keeps the run; the status line says what waits, and o comes back to it.
      await d.press(keys.esc);
      frame = await d.waitFor('runbook scale-md: step 1/6 MachineDeployment, nodes and pending pods — waiting for you · o opens it');
      assert.match(frame, /▸ Rollouts/, 'back on the Machines screen');
      await d.press('o');
      await d.waitFor('1. MachineDeployment, nodes and pending pods — waiting for you');
      await d.press('y');
      frame = await d.waitFor('2. New replica count — waiting for you');
      assert.match(frame, /prow-md-0: 2 → 3\n(.*\n)*replicas: 3 \(whole number 0\.\.10\)/);
      await d.press(keys.enter);
      frame = await d.waitFor('4. Patch /scale — waiting for you', 20_000);
      assert.match(frame, /– 3\. Machines to remove \(scale-in\)/);
      assert.match(frame, /PATCH \/apis\/cluster\.x-k8s\.io\/v1beta2\/namespaces\/default\/machinedeployments\/prow-md-0\/scale\n\s+\?fieldValidation=Strict/);
      assert.match(frame, /~ spec\.replicas: 2 → 3/);
      await d.press('y');
      frame = await d.waitFor('run done — c clears', 60_000);
      assert.match(frame, /✔ 6\. Summary/);
      assert.match(frame, /added: prow-md-0-/);
      const audit = auditEntries(fx.auditLog).filter((e) => e.runbook === 'scale-md');
      assert.deepEqual(audit.map((e) => `${e.step} ${e.code}`), ['scale 200']);
      await d.press(keys.esc);
      frame = await d.waitFor(/Machines {2}4\b/, 20_000);
      assert.equal(frame.split('\n').filter((l) => /prow-md-0-\S+ +\w+ +md\/prow-md-0/.test(l)).length, 3, 'three worker machines');
      assert.match(frame, /MD +prow-md-0 .* 3\/3 up to date|MD +prow-md-0 .*[░█]+ \d\/3/);
    } finally {
      d.stop();
    }
  });

  it('in production, a scale-in needs the MachineDeployment\'s name typed; a wrong name is refused', async () => {
    const d = await dashboard(profile({ name: 'prod', production: true }), { production: true });
    try {
      await selectPool(d);
      await d.press('-');
      let frame = await d.waitFor('1. MachineDeployment, nodes and pending pods — waiting for you', 20_000);
      assert.match(frame, /PRODUCTION/);
      await d.press('y');
      await d.waitFor('2. New replica count — waiting for you');
      await d.press('y');
      await d.waitFor('3. Machines to remove (scale-in) — waiting for you');
      await d.press('s');
      await d.waitFor('4. Patch /scale — waiting for you');
      await d.press('y');
      frame = await d.waitFor('type prow-md-0 to scale it in: ▌');
      assert.match(frame, /Enter confirm Esc cancel/, 'the footer shows the name prompt\'s keys');
      // Letters are the name now, not commands: `q` does not quit, `2` does not switch screens.
      await d.type('prow-q2');
      await d.waitFor('type prow-md-0 to scale it in: prow-q2▌');
      assert.equal(d.quits, 0);
      await d.press(keys.backspace, keys.backspace, keys.backspace, keys.enter);
      await d.waitFor('dangerous in production: type prow-md-0 to scale it in');
      assert.match(d.frame(), /4\. Patch \/scale — waiting for you/);
      await d.press('y');
      await d.waitFor('type prow-md-0 to scale it in: ▌');
      await d.type('prow-md-0');
      await d.press(keys.enter);
      frame = await d.waitFor('run done — c clears', 60_000);
      assert.match(frame, /removed: prow-md-0-/);
    } finally {
      d.stop();
    }
  });

  it('invalid parameters are shown in the view and nothing starts', async () => {
    const d = await dashboard(profile());
    try {
      const sent = auditEntries(fx.auditLog).length;
      d.stores.shell.getState().actions.requestRunbook({ id: 'scale-md', params: { md: 'prow-md-0', replicas: 'three' }, summary: 'scale-md --replicas three' });
      await d.waitFor('--replicas expects a whole number, got "three"');
      assert.equal(d.stores.shell.getState().pendingRunbook, undefined, 'the engine took the request');
      assert.equal(auditEntries(fx.auditLog).length, sent, 'nothing was sent');
    } finally {
      d.stop();
    }
  });

  it('read-only: no key starts or drives a run, and the factory refuses anyway', async () => {
    const p = profile({ name: 'ro', readOnly: true });
    const d = await dashboard(p, { readOnly: true });
    try {
      await d.press('2');
      await d.waitFor(/MD +prow-md-0 /, 20_000);
      await d.press(keys.tab, 'j', '+', '-', 'R', '5', 'B', 'o');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(d.stores.shell.getState().runbookView, false);
      assert.doesNotMatch(d.frame(), /waiting for you|starting/);
      const direct = createRunbookStore(dashboardRunFactory({
        journalDir: fx.journalDir, auditLog: fx.auditLog, profile: p, clusterTimeScale: fx.timeScale, log: () => undefined,
        connection: () => createConnection({ kubeconfig: fx.kubeconfig, context: 'sim', initial: { mode: 'direct' } }),
      }));
      await direct.getState().actions.start({ id: 'scale-md', params: { md: 'prow-md-0', replicas: 3 } });
      assert.match(direct.getState().error ?? '', /profile ro is read-only/);
    } finally {
      d.stop();
    }
  });
});
