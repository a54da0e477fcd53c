// Runbook tests drive the real engine against deckhand sim over HTTPS, like an operator at the screen would:
// wait for a step to ask, read its plan, acknowledge, confirm (typing names where production asks for them).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type KubeClient } from '../../src/kube/client.js';
import { discover, type Discovery } from '../../src/kube/discovery.js';
import { watchedFamilies } from '../../src/kube/kinds.js';
import { openAuditLog, type AuditEntry } from '../../src/runbooks/audit.js';
import type { ConnectionControl } from '../../src/runbooks/connection-types.js';
import { createRun, type Run } from '../../src/runbooks/engine.js';
import { findRunbook } from '../../src/runbooks/index.js';
import { newRunId, openJournal, type ResumePoint } from '../../src/runbooks/journal.js';
import { validateParams, type RawParams } from '../../src/runbooks/params.js';
import type { RunProfile, RunState, StepPhase } from '../../src/runbooks/types.js';
import { startSim, type Sim, type SimOptions } from '../../src/sim/index.js';

/** A sim plus a state directory for journals and the audit log. */
export interface RunbookFixture {
  sim: Sim;
  dir: string;
  kubeconfig: string;
  journalDir: string;
  auditLog: string;
  timeScale: number;
  client(context?: string): KubeClient;
  discovery(client?: KubeClient): Promise<Discovery>;
  stop(): Promise<void>;
}

/** Starts a sim (Prow on, metrics off unless asked) with its kubeconfig in a temporary directory. */
export async function runbookFixture(options: SimOptions & { timeScale: number }): Promise<RunbookFixture> {
  const sim = await startSim({ ...options, overrides: { metrics: false, ...options.overrides } });
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-runbook-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig, { mode: 0o600 });
  const clients: KubeClient[] = [];
  const client = (context = 'sim') => {
    const c = createClient({ kubeconfig, context });
    clients.push(c);
    return c;
  };
  return {
    sim, dir, kubeconfig, journalDir: join(dir, 'state', 'journal'), auditLog: join(dir, 'state', 'audit.log'), timeScale: options.timeScale,
    client,
    discovery: (c) => discover(c ?? client(), watchedFamilies),
    stop: async () => {
      for (const c of clients) c.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test profile (non-production unless asked). */
export function profile(patch: Partial<RunProfile> = {}): RunProfile {
  return { name: 'test', production: false, readOnly: false, scaleMax: 10, testPodsNamespace: 'test-pods', prowNamespace: 'prow', ...patch };
}

/** Validates parameters and creates a run on the fixture's journal and audit log; start it with begin(). */
export async function newRun(fx: RunbookFixture, id: string, raw: RawParams, options: { profile?: RunProfile; client?: KubeClient; connection?: ConnectionControl; resume?: ResumePoint } = {}): Promise<{ run: Run; begin(): Promise<RunState> }> {
  const runbook = findRunbook(id);
  assert.ok(runbook, `runbook ${id}`);
  const p = options.profile ?? profile();
  const params = options.resume ? { ok: true as const, params: options.resume.params } : validateParams(runbook, raw, p);
  assert.ok(params.ok, params.ok ? '' : params.errors.join('; '));
  const client = options.connection?.client() ?? options.client ?? fx.client();
  const run = createRun({
    runbook, params: params.params, client, discovery: await fx.discovery(client), profile: p,
    journal: openJournal(fx.journalDir, options.resume?.runId ?? newRunId(id, Date.now())), audit: openAuditLog(fx.auditLog),
    clusterTimeScale: fx.timeScale,
    ...(options.connection ? { connection: options.connection } : {}),
    ...(options.resume ? { resume: options.resume } : {}),
  });
  let started: Promise<RunState> | undefined;
  return { run, begin: () => (started ??= run.start()) };
}

/** Waits until the run's state satisfies `check`; the error shows the steps and the last timeline lines. */
export async function waitState(run: Run, check: (s: RunState) => boolean, what: string, timeoutMs = 30_000): Promise<RunState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = run.state();
    if (check(s)) return s;
    if (Date.now() > deadline) {
      const steps = s.steps.map((x) => `${x.id}:${x.phase}${x.error ? `(${x.error})` : ''}${x.plan?.blockers.length ? `[blocked: ${x.plan.blockers.join('; ')}]` : ''}`).join(' ');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; run ${s.phase}; steps ${steps}\n${s.timeline.slice(-8).map((t) => `  ${t.step ?? ''} ${t.text}`).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until step `id` is in `phase` (default: awaiting confirmation) and is the current step. */
export function atStep(run: Run, id: string, phase: StepPhase = 'awaiting-confirmation', timeoutMs?: number): Promise<RunState> {
  return waitState(run, (s) => s.steps[s.current]?.id === id && s.steps[s.current]?.phase === phase && (phase !== 'awaiting-confirmation' || s.phase === 'awaiting'), `step ${id} ${phase}`, timeoutMs);
}

/** The current step's plan (asserting there is one). */
export function currentPlan(s: RunState) {
  const plan = s.steps[s.current]?.plan;
  assert.ok(plan, `step ${s.steps[s.current]?.id} has a plan`);
  return plan;
}

/** Confirms step `id` once it asks, acknowledging everything it lists (as an operator reading each would). */
export async function confirmStep(run: Run, id: string, options: { typed?: string; timeoutMs?: number } = {}): Promise<RunState> {
  const s = await atStep(run, id, 'awaiting-confirmation', options.timeoutMs);
  for (const ack of currentPlan(s).acknowledgements) assert.deepEqual(run.acknowledge(ack.id), { ok: true });
  const result = run.confirm(options.typed);
  assert.deepEqual(result, { ok: true }, `confirm ${id}`);
  return s;
}

/** The audit log's entries. */
export function auditEntries(file: string): AuditEntry[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);
}
