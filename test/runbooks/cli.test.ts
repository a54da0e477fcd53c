// `deckhand runbook` as an operator runs it (a child process) against deckhand sim: --list, --plan printing the
// exact patch and changing nothing, invalid parameters refused before anything is read, and crash safety — the
// process killed with SIGKILL right after its /scale patch was answered resumes with --resume and never sends
// that patch again. The audit log holds one line per mutation, mode 0600, without the cluster's token.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listViews } from '../../src/kube/runbook-reads.js';
import { auditEntries, runbookFixture, type RunbookFixture } from './helpers.js';

const home = mkdtempSync(join(tmpdir(), 'deckhand-runbook-cli-'));
after(() => rmSync(home, { recursive: true, force: true }));
const stateDir = join(home, 'state', 'deckhand');
const auditLog = join(stateDir, 'audit.log');

function start(args: string[]): { child: ChildProcess; result: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'runbook', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const result = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => child.on('close', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, out, err });
  }));
  return { child, result };
}
const deckhand = (args: string[]) => start(args).result;

describe('deckhand runbook (capi-v1beta2)', () => {
  let fx: RunbookFixture;
  let target: string[];
  before(async () => {
    // A slow clock, so the child is still following the new machine when it is killed.
    fx = await runbookFixture({ scenario: 'capi-v1beta2', timeScale: 5 });
    target = ['--kubeconfig', fx.kubeconfig, '--context', 'sim', '--cluster-time-scale', '5'];
  });
  after(async () => fx?.stop());
  const replicas = async () => (await listViews(fx.client(), await fx.discovery(), 'machineDeployments', { namespace: 'default' })).find((m) => m.name === 'prow-md-0')!;

  it('--list names the three runbooks', async () => {
    const r = await deckhand(['--list']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]), ['recover-node', 'bastion-swap', 'scale-md']);
  });

  it('--plan prints every step with the exact /scale patch and changes nothing', async () => {
    const md = await replicas();
    const r = await deckhand(['scale-md', '--md', 'prow-md-0', '--replicas', '3', '--plan', ...target]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /plan \(nothing is changed\)/);
    for (const n of [1, 2, 3, 4, 5, 6]) assert.match(r.out, new RegExp(`^${n}\\. `, 'm'));
    assert.match(r.out, /PATCH \/apis\/cluster\.x-k8s\.io\/v1beta2\/namespaces\/default\/machinedeployments\/prow-md-0\/scale\?fieldValidation=Strict\n\s+Content-Type: application\/merge-patch\+json/);
    assert.match(r.out, new RegExp(`"replicas": 3\\n\\s+\\},\\n\\s+"metadata": \\{\\n\\s+"resourceVersion": "${md.resourceVersion}"`));
    assert.match(r.out, /~ spec\.replicas: 2 → 3/);
    const now = await replicas();
    assert.equal(now.desired, 2);
    assert.equal(now.resourceVersion, md.resourceVersion, 'not even a no-op write');
    assert.equal(auditEntries(auditLog).length, 0);
  });

  it('refuses invalid replica counts before reading anything, and an unchanged one with nothing changed', async () => {
    for (const [value, message] of [['2.5', /--replicas expects a whole number, got "2\.5"/], ['-1', /--replicas must be at least 0, got -1/], ['11', /--replicas must be at most 10/], ['three', /whole number/]] as const) {
      // An unreachable kubeconfig proves nothing is read: validation fails first.
      const r = await deckhand(['scale-md', '--md', 'prow-md-0', `--replicas=${value}`, '--kubeconfig', join(home, 'missing'), '--yes']);
      assert.equal(r.code, 2, `${value}: ${r.err}`);
      assert.match(r.err, message);
    }
    const r = await deckhand(['scale-md', '--md', 'prow-md-0', '--replicas', '2', '--yes', ...target]);
    assert.equal(r.code, 1);
    assert.match(r.err, /nothing to do: prow-md-0 already has 2 replicas/);
    assert.equal((await replicas()).desired, 2);
    assert.equal(auditEntries(auditLog).length, 0);
  });

  it('killed with SIGKILL after the /scale patch, it resumes without sending it again', async () => {
    const first = start(['scale-md', '--md', 'prow-md-0', '--replicas', '3', '--yes', ...target]);
    // Killed while step 5 follows the new machine, which takes seconds (it provisions in cluster time): a kill as
    // soon as the patch was audited raced the run on a busy machine, which sometimes had finished step 4 already.
    type Entry = { type: string; index?: number; phase?: string };
    const journalOf = (runId: unknown) => join(stateDir, 'journal', `${runId}.jsonl`);
    const records = (runId: unknown) => readFileSync(journalOf(runId), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry);
    const following = (runId: unknown) => records(runId).some((r) => r.type === 'step' && r.index === 4 && r.phase === 'verifying');
    const deadline = Date.now() + 60_000;
    while (!auditEntries(auditLog).some((e) => e.step === 'scale' && following(e.runId))) {
      assert.ok(Date.now() < deadline, 'the scale patch was audited and step 5 follows it');
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    const killed = await first.result;
    assert.equal(killed.signal, 'SIGKILL');
    assert.doesNotMatch(killed.out, /run done/);
    const runId = auditEntries(auditLog)[0]!.runId;
    // The journal as a SIGKILL just after the /scale answer leaves it (each record is appended and awaited before the
    // run goes on, so the file then ends with that response): the harder case, made exact.
    const journalLines = readFileSync(journalOf(runId), 'utf8').split('\n').filter(Boolean);
    const answered = records(runId).findIndex((r) => r.type === 'response' && r.index === 3);
    assert.ok(answered > 0, 'the journal has the answer to the /scale patch');
    writeFileSync(journalOf(runId), `${journalLines.slice(0, answered + 1).join('\n')}\n`);

    const refused = await deckhand(['scale-md', '--md', 'prow-md-0', '--replicas', '4', '--yes', ...target]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, new RegExp(`unfinished run ${runId}`));

    const resumed = await deckhand(['--resume', '--yes', ...target]);
    assert.equal(resumed.code, 0, resumed.out + resumed.err);
    // Stopped with the patch answered but step 4 not verified: it is verified again, never sent again (the audit log
    // below proves it).
    assert.match(resumed.out, /resumed at step 4 \(applying when deckhand stopped\)/);
    assert.match(resumed.out, /re-verifying what was applied before deckhand stopped/);
    const lines = auditEntries(auditLog);
    assert.deepEqual(lines.map((e) => `${e.runId} ${e.step} ${e.code}`), [`${runId} scale 200`], 'one line per mutation: the patch was sent once');
    assert.equal((await replicas()).desired, 3);
    assert.equal(statSync(auditLog).mode & 0o777, 0o600);
    const text = readFileSync(auditLog, 'utf8');
    assert.ok(!text.includes(fx.sim.token), 'no bearer token');
    assert.doesNotMatch(text, /BEGIN .*PRIVATE KEY|certificate-authority-data|Bearer [A-Za-z0-9]/);
    const entry = lines[0]!;
    assert.equal(entry.context, 'sim');
    assert.equal(entry.kubeUser, 'sim-admin');
    assert.ok(entry.osUser);
    assert.deepEqual(entry.request, {
      method: 'PATCH', path: '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments/prow-md-0/scale', query: { fieldValidation: 'Strict' },
      contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 }, metadata: { resourceVersion: (entry.request as { body: { metadata: { resourceVersion: string } } }).body.metadata.resourceVersion } },
    });
    writeFileSync(join(home, 'done'), '');
  });
});
