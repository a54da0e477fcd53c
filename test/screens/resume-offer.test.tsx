// Starting the dashboard with unfinished runs in the journal (deckhand sim, capi-v1beta2): a bastion-swap stopped
// after its temporary allowlist entry was added, and a scale-md stopped at its second step. The offer comes before
// anything else, the bastion-swap first, naming the entry (checked in the cluster: it is still there) and the
// last-resort recovery; nothing but its answers works meanwhile. `c` cleans the swap up (resumed, then rolled back
// with each rollback confirmed), `d` discards the other; read-only sessions are told, not offered to resume.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { offerUnfinished, type ResumeOfferOptions } from '../../src/cli/ui-resume.js';
import { dashboardRunFactory } from '../../src/cli/ui-runbooks.js';
import { listViews } from '../../src/kube/runbook-reads.js';
import { createConnection } from '../../src/runbooks/connection.js';
import { findUnfinished } from '../../src/runbooks/journal.js';
import { createPromptStore } from '../../src/store/prompt-store.js';
import { createRunbookStore } from '../../src/store/runbook-slice.js';
import { currentLocalUser } from '../../src/tunnel/ssh-config.js';
import { atStep, confirmStep, newRun, profile, runbookFixture, type RunbookFixture } from '../runbooks/helpers.js';
import { dash, keys, type Dash } from './harness.js';

/** deckhand tunnelled through the sim's bastion (its key in known_hosts), as the swap started. */
function connect(fx: RunbookFixture) {
  const [type, blob] = fx.sim.bastion()!.hostKeyPublic.split(' ');
  const b = fx.sim.info.bastion;
  writeFileSync(join(fx.dir, 'known_hosts'), `[${b.host}]:${b.port} ${type} ${blob}\n`);
  writeFileSync(join(fx.dir, 'id'), fx.sim.operatorKey.privateKey, { mode: 0o600 });
  return createConnection({
    kubeconfig: fx.kubeconfig, context: 'sim-via-bastion',
    tunnel: {
      listen: { host: '127.0.0.1', port: 0 }, local: { ...currentLocalUser(), home: fx.dir }, sshConfigFile: null, identityFiles: [join(fx.dir, 'id')],
      knownHosts: { userFiles: [join(fx.dir, 'known_hosts')], globalFiles: [], writeFile: join(fx.dir, 'deckhand_known_hosts'), acceptNew: false },
    },
    initial: { mode: 'tunnel', bastion: { host: b.host, port: b.port, user: b.user } },
  });
}

describe('unfinished runs offered at startup (deckhand sim, capi-v1beta2)', () => {
  let fx: RunbookFixture;
  const closers: (() => Promise<void>)[] = [];
  const swapProfile = () => profile({ echoIpUrl: fx.sim.info.echoIpUrl });
  before(async () => {
    fx = await runbookFixture({ scenario: 'capi-v1beta2', timeScale: 100, overrides: { prow: false } });
    // A bastion-swap that added 127.0.0.1/32 and stopped before switching to direct (the process "died" here).
    const connection = await connect(fx);
    closers.push(() => connection.close());
    const swap = await newRun(fx, 'bastion-swap', { publicIp: '127.0.0.1' }, { connection, profile: swapProfile() });
    void swap.begin();
    await confirmStep(swap.run, 'preconditions');
    await confirmStep(swap.run, 'public-ip');
    await confirmStep(swap.run, 'allow', { timeoutMs: 20_000 });
    await atStep(swap.run, 'direct', 'awaiting-confirmation', 20_000);
    // And a scale-md that stopped at its second step.
    const scale = await newRun(fx, 'scale-md', { md: 'prow-md-0', replicas: '3' });
    void scale.begin();
    await confirmStep(scale.run, 'inspect');
    await atStep(scale.run, 'count');
  });
  after(async () => {
    for (const close of closers) await close();
    await fx?.stop();
  });

  /** The dashboard as ui-wiring.ts assembles it, with the offer made before anything else. */
  function start(session: { readOnly?: boolean } = {}): { d: Dash; offered: Promise<void> } {
    const prompts = createPromptStore();
    const runbooks = createRunbookStore(dashboardRunFactory({
      journalDir: fx.journalDir, auditLog: fx.auditLog, profile: profile({ ...swapProfile(), readOnly: session.readOnly === true }), clusterTimeScale: fx.timeScale,
      log: () => undefined,
      connection: async () => {
        const c = await connect(fx);
        closers.push(() => c.close());
        return c;
      },
    }));
    const d = dash({ prompts, runbooks, size: { columns: 120, rows: 40 }, session });
    const options: ResumeOfferOptions = {
      journalDir: fx.journalDir, prompts, runbooks, shell: d.stores.shell, log: () => undefined,
      clusters: [async () => ({ client: fx.client(), discovery: await fx.discovery() })],
    };
    return { d, offered: offerUnfinished(options) };
  }

  it('read-only: the offer says what is unfinished but cannot resume; Esc leaves it for later', async () => {
    const { d, offered } = start({ readOnly: true });
    try {
      const frame = await d.waitFor(/read-only session: nothing can be resumed here \(deckhand runbook --resume --run bastion-swap-\S+ can\)/);
      assert.match(frame.split('\n').at(-1)!, /^ Esc later/, 'no r, c or d in read-only mode');
      await d.press('r', 'c', 'd');
      assert.match(d.frame(), /UNFINISHED BASTION SWAP/);
      await d.press(keys.esc);
      await d.waitFor(/unfinished run scale-md-\S+ \(scale-md\)/);
      await d.press(keys.esc);
      await offered;
      await d.waitFor('Nodes  3');
      assert.equal((await findUnfinished(fx.journalDir)).length, 2, 'both still unfinished');
    } finally {
      d.unmount();
    }
  });

  it('the bastion-swap first with its temporary entry and the last resort; c cleans it up, d discards the other', async () => {
    const { d, offered } = start();
    try {
      let frame = await d.waitFor('is still in default/prow');
      assert.match(frame, /^Unfinished runbook \(2 waiting\) — before anything else$/m);
      // Long lines wrap in the offer rather than being cut; read them as one text.
      const text = frame.replace(/\s+/g, ' ');
      assert.match(text, /UNFINISHED BASTION SWAP bastion-swap-\S+ stopped at step 4 \(awaiting-confirmation\) at \S+: the temporary allowlist entry 127\.0\.0\.1\/32 is still in default\/prow; resume it or clean up/);
      assert.match(text, /last resort: if the API is lost: openstack loadbalancer listener list --loadbalancer k8s-clusterapi-cluster-default-prow-kubeapi; openstack loadbalancer listener unset --allowed-cidrs <listener-id>/);
      assert.ok(text.indexOf('UNFINISHED BASTION SWAP') < text.indexOf('last resort'));
      assert.ok(!frame.includes('Nodes  3'), 'said before anything else: no screen under it');
      assert.match(frame.split('\n').at(-1)!, /^ r resume c clean up d discard Esc later/);
      await d.press('1', '5', 'q');
      assert.equal(d.quits, 0);
      assert.match(d.frame(), /UNFINISHED BASTION SWAP/, 'only the offer\'s own keys work');
      await d.press('c');
      frame = await d.waitFor(/unfinished run scale-md-\S+ \(scale-md\) stopped at step 2/);
      assert.match(frame, /^Unfinished runbook — before anything else$/m);
      await d.press('d');
      // The swap was resumed and its rollback asks: the temporary entry goes, previewed and confirmed.
      frame = await d.waitFor(/3\. Allow your IP and check the API directly \(rollback\) — waiting for you/, 30_000);
      assert.match(frame, /Swap \(or recreate\) the bastion {2}sim-via-bastion {2}awaiting \(resumed\)/);
      assert.match(frame, /remove 127\.0\.0\.1\/32/);
      await d.press('y');
      await d.waitFor('run rolled-back', 30_000);
      await offered;
      const cluster = (await listViews(fx.client(), await fx.discovery(), 'openstackClusters'))[0]!;
      assert.ok(!cluster.apiServerLoadBalancer.allowedCidrs?.includes('127.0.0.1/32'), 'the temporary entry is gone');
      assert.equal(cluster.bastion.enabled, true, 'the bastion was never touched');
      assert.deepEqual(await findUnfinished(fx.journalDir), [], 'the swap finished (rolled back) and the scale-md was discarded');
    } finally {
      d.unmount();
    }
  });
});
