// The runbook screen driven by key presses through ink-testing-library, on a real run against deckhand sim: the
// plan with the exact /scale request and its dry-run diff, y/Enter to confirm, skipping an optional step, and in a
// production profile the target's name typed before a scale-in; invalid parameters are shown, not started.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import { createRun } from '../../src/runbooks/engine.js';
import { findRunbook } from '../../src/runbooks/index.js';
import { newRunId, openJournal } from '../../src/runbooks/journal.js';
import { openAuditLog } from '../../src/runbooks/audit.js';
import { validateParams } from '../../src/runbooks/params.js';
import type { RunProfile } from '../../src/runbooks/types.js';
import { RunbookScreen } from '../../src/screens/runbook/runbook-screen.js';
import { createTheme } from '../../src/screens/theme.js';
import { createRunbookStore, type RunbookStore } from '../../src/store/runbook-slice.js';
import { profile, runbookFixture, type RunbookFixture } from '../runbooks/helpers.js';

const keys = { enter: '\r', esc: '\x1b' };

function screen(store: RunbookStore) {
  const app = render(<RunbookScreen store={store} width={120} height={60} active theme={createTheme(false)} />);
  const frame = () => app.lastFrame() ?? '';
  return {
    app,
    frame,
    async waitFor(text: string | RegExp, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const has = () => (typeof text === 'string' ? frame().includes(text) : text.test(frame()));
      while (!has()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${frame()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return frame();
    },
    async press(...input: string[]) {
      for (const k of input) {
        app.stdin.write(k);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
  };
}

describe('runbook screen (capi-v1beta2)', () => {
  let fx: RunbookFixture;
  const storeFor = (p: RunProfile) => createRunbookStore(async (request) => {
    const runbook = findRunbook(request.id);
    if (!runbook) return { error: `unknown runbook ${request.id}` };
    const params = validateParams(runbook, request.params, p);
    if (!params.ok) return { error: params.errors.join('; ') };
    const client = fx.client();
    return createRun({ runbook, params: params.params, client, discovery: await fx.discovery(client), profile: p, journal: openJournal(fx.journalDir, newRunId(runbook.id, Date.now())), audit: openAuditLog(fx.auditLog), clusterTimeScale: fx.timeScale });
  });
  before(async () => {
    fx = await runbookFixture({ scenario: 'capi-v1beta2', timeScale: 100 });
  });
  after(async () => fx?.stop());

  it('shows invalid parameters instead of starting', async () => {
    const store = storeFor(profile());
    const s = screen(store);
    await s.waitFor('no runbook running');
    await store.getState().actions.start({ id: 'scale-md', params: { md: 'prow-md-0', replicas: 'three' } });
    await s.waitFor('--replicas expects a whole number, got "three"');
    s.app.unmount();
  });

  it('walks scale-md with y/Enter, showing the exact request and its diff', async () => {
    const store = storeFor(profile());
    const s = screen(store);
    await store.getState().actions.start({ id: 'scale-md', params: { md: 'prow-md-0', replicas: 3 } });
    const first = await s.waitFor('1. MachineDeployment, nodes and pending pods — waiting for you');
    assert.match(first, /MachineDeployment default\/prow-md-0: desired 2, ready 2, available 2/);
    assert.match(first, /y\/Enter confirm/);
    await s.press('y');
    await s.waitFor('2. New replica count — waiting for you');
    await s.press(keys.enter);
    const scale = await s.waitFor('4. Patch /scale — waiting for you');
    assert.match(scale, /– 3\. Machines to remove \(scale-in\)/);
    assert.match(scale, /PATCH \/apis\/cluster\.x-k8s\.io\/v1beta2\/namespaces\/default\/machinedeployments\/prow-md-0\/scale\n\s+\?fieldValidation=Strict\n/);
    assert.match(scale, /~ spec\.replicas: 2 → 3/);
    await s.press('y');
    const done = await s.waitFor('run done — c clears');
    assert.match(done, /✔ 6\. Summary/);
    assert.match(done, /added: prow-md-0-/);
    await s.press('c');
    await s.waitFor('no runbook running');
    s.app.unmount();
  });

  it('in production, a scale-in needs the MachineDeployment name typed', async () => {
    const store = storeFor(profile({ name: 'prod', production: true }));
    const s = screen(store);
    await store.getState().actions.start({ id: 'scale-md', params: { md: 'prow-md-0', replicas: 2 } });
    const first = await s.waitFor('waiting for you');
    assert.match(first, /PRODUCTION/);
    await s.press('y');
    await s.waitFor('2. New replica count — waiting for you');
    await s.press('y');
    await s.waitFor('3. Machines to remove (scale-in) — waiting for you');
    await s.press('s');
    await s.waitFor('4. Patch /scale — waiting for you');
    await s.press('y');
    await s.waitFor('type prow-md-0 to scale it in: ▌');
    await s.press('p', 'r', 'o', 'w', keys.enter);
    await s.waitFor('dangerous in production: type prow-md-0 to scale it in');
    assert.match(s.frame(), /4\. Patch \/scale — waiting for you/);
    await s.press('y');
    await s.waitFor('type prow-md-0');
    for (const c of 'prow-md-0') await s.press(c);
    await s.waitFor('type prow-md-0 to scale it in: prow-md-0▌');
    await s.press(keys.enter);
    const done = await s.waitFor('run done — c clears', 30_000);
    assert.match(done, /removed: prow-md-0-/);
    s.app.unmount();
  });
});
