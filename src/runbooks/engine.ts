// The runbook engine: a small state machine per step — pending → previewing → awaiting confirmation → applying →
// verifying → done | failed (→ rolling back) — walked in order. Blockers and unacknowledged risks disable
// confirmation; dangerous steps in a production profile need the target's name typed; a plan whose object moved on
// goes back to preview instead of being applied (Terraform's stale plan). Every transition is journaled before its
// work and after it; the engine reports through a listener and imports no UI.
// @see /work/shared/reference/codebase-anchors.md (Anchor 4 synthesis), ARCHITECTURE.md ("Runbooks are data")
import type { KubeClient } from '../kube/client.js';
import type { Discovery } from '../kube/discovery.js';
import { bindAudit, type AuditLog, type BoundAudit } from './audit.js';
import type { ConnectionControl } from './connection-types.js';
import { applyStep, verifyStep } from './engine-apply.js';
import { initialState, Reporter } from './engine-state.js';
import type { Journal, ResumePoint } from './journal.js';
import type { JsonValue, Runbook, RunContext, RunListener, RunProfile, RunState, Step, StepPlan } from './types.js';

/** Everything a run needs; the composition root builds it. */
export interface RunOptions {
  runbook: Runbook<never>;
  params: Record<string, JsonValue>;
  client: KubeClient;
  discovery: Discovery;
  profile: RunProfile;
  journal: Journal;
  audit: AuditLog;
  connection?: ConnectionControl;
  /** Cluster seconds per real second (1 on a real cluster; the simulator's timeScale in the demo and tests). */
  clusterTimeScale?: number;
  now?: () => number;
  resume?: ResumePoint;
  onChange?: RunListener;
}

/** The answer to an operator action: done, or why not. */
export type Decision = { ok: true } | { ok: false; reason: string };

type Choice = 'confirm' | 'skip' | 'abort' | 'again' | 'retry' | 'rollback';

/** A running runbook; drive it with confirm/acknowledge/setInput/skip/abort (and retry/rollback after a failure). */
export interface Run {
  state(): RunState;
  subscribe(listener: RunListener): () => void;
  /** Starts (or resumes) the walk; the promise settles when the run ends (done, aborted or rolled back). */
  start(): Promise<RunState>;
  /** Confirms the step awaiting confirmation; `typed` is the target's name for dangerous production steps. */
  confirm(typed?: string): Decision;
  acknowledge(id: string): Decision;
  setInput(id: string, value: string): Decision;
  /** Skips an optional step awaiting confirmation. */
  skip(): Decision;
  /** Previews the current step again (after a failure, or to refresh the plan). */
  retry(): Decision;
  /** After a failure, or instead of confirming: undo the applied steps that have a rollback, newest first. */
  rollback(): Decision;
  abort(): void;
}

/** Starts nothing: creates a run; call start(). */
export function createRun(options: RunOptions): Run {
  return new Engine(options);
}

class Engine implements Run {
  private readonly reporter: Reporter;
  private readonly audit: BoundAudit;
  private readonly abortController = new AbortController();
  private readonly now: () => number;
  private waiter: ((choice: Choice) => void) | undefined;
  private accepting: ReadonlySet<Choice> = new Set();
  private readonly applied = new Set<number>();

  constructor(private readonly options: RunOptions) {
    this.now = options.now ?? Date.now;
    this.reporter = new Reporter(initialState(options, this.now()), options.journal, this.now, options.runbook.recovery);
    if (options.onChange) this.reporter.subscribe(options.onChange);
    const target = options.client.target;
    this.audit = bindAudit(options.audit, {
      runbook: options.runbook.id, runId: options.journal.runId, context: target.context, server: target.server, ...(target.user ? { kubeUser: target.user } : {}),
    });
  }

  state = () => this.reporter.state;
  subscribe = (listener: RunListener) => this.reporter.subscribe(listener);

  private get steps(): readonly Step<Record<string, unknown>>[] {
    return this.options.runbook.steps as readonly Step<Record<string, unknown>>[];
  }

  private context(): RunContext<Record<string, unknown>> {
    const { options, reporter } = this;
    const scale = options.clusterTimeScale ?? 1;
    const state = reporter.state;
    return {
      params: state.params,
      client: options.connection?.client() ?? options.client,
      discovery: options.discovery,
      profile: options.profile,
      memory: state.memory,
      remember: (key, value) => reporter.remember(key, value),
      inputs: state.inputs,
      acknowledged: new Set(state.acknowledged),
      planning: false,
      ...(options.connection ? { connection: options.connection } : {}),
      clusterMs: (seconds) => (seconds * 1000) / scale,
      now: this.now,
      progress: (text) => reporter.progress(state.current, { ok: false, text }),
      signal: this.abortController.signal,
    };
  }

  private wait(accepting: Choice[]): Promise<Choice> {
    this.accepting = new Set(accepting);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private choose(choice: Choice): boolean {
    if (!this.waiter || !this.accepting.has(choice)) return false;
    const resolve = this.waiter;
    this.waiter = undefined;
    this.accepting = new Set();
    resolve(choice);
    return true;
  }

  confirm(typed?: string): Decision {
    const state = this.reporter.state;
    const step = state.steps[state.current];
    if (!step || step.phase !== 'awaiting-confirmation' || !step.plan) return { ok: false, reason: 'no step is waiting for confirmation' };
    const plan = step.plan;
    if (plan.blockers.length) return { ok: false, reason: `blocked: ${plan.blockers[0]}` };
    const missing = plan.acknowledgements.filter((a) => !state.acknowledged.includes(a.id));
    if (missing.length) return { ok: false, reason: `acknowledge first: ${missing[0]!.text}` };
    if (plan.danger && state.production && typed !== plan.danger.target) {
      return { ok: false, reason: `dangerous in production: type ${plan.danger.target} to ${plan.danger.what}` };
    }
    return this.choose('confirm') ? { ok: true } : { ok: false, reason: 'not waiting for confirmation' };
  }

  acknowledge(id: string): Decision {
    const step = this.reporter.state.steps[this.reporter.state.current];
    if (!step?.plan?.acknowledgements.some((a) => a.id === id)) return { ok: false, reason: `nothing to acknowledge as ${id}` };
    void this.reporter.acknowledge(id);
    return { ok: true };
  }

  setInput(id: string, value: string): Decision {
    const step = this.reporter.state.steps[this.reporter.state.current];
    if (step?.phase !== 'awaiting-confirmation' || !step.plan?.inputs.some((i) => i.id === id)) return { ok: false, reason: `no input ${id} to change now` };
    void this.reporter.input(id, value).then(() => this.choose('again'));
    return { ok: true };
  }

  skip(): Decision {
    const index = this.reporter.state.current;
    if (!this.steps[index]?.optional) return { ok: false, reason: 'this step cannot be skipped' };
    return this.choose('skip') ? { ok: true } : { ok: false, reason: 'not waiting for a decision' };
  }

  retry(): Decision {
    return this.choose('retry') || this.choose('again') ? { ok: true } : { ok: false, reason: 'nothing to retry now' };
  }

  rollback(): Decision {
    return this.choose('rollback') ? { ok: true } : { ok: false, reason: 'rollback is offered after a failure or instead of a confirmation' };
  }

  abort(): void {
    if (!this.choose('abort')) this.abortController.abort();
  }

  async start(): Promise<RunState> {
    const resume = this.options.resume;
    let index = 0;
    if (resume) {
      for (const f of resume.finished) this.applied.add(f.index);
      index = resume.index;
      this.reporter.resumed(resume);
      if (resume.action === 'verify' && resume.plan) {
        const ok = await this.verifyOnly(index, resume.plan);
        index = ok ? index + 1 : index;
        if (!ok && (await this.afterFailure(index)) !== 'retry') return this.reporter.state;
      } else if (resume.action === 'failed') {
        this.reporter.phase(index, 'failed', { error: resume.error ?? 'failed before deckhand stopped', ...(resume.plan ? { plan: resume.plan } : {}) });
        if ((await this.afterFailure(index)) !== 'retry') return this.reporter.state;
      }
    } else {
      await this.reporter.started(this.options);
    }
    while (index < this.steps.length) {
      const outcome = await this.runStep(index, this.steps[index]!, false);
      if (outcome === 'aborted') return this.reporter.finish('aborted');
      if (outcome === 'rollback') {
        await this.rollbackFrom(index - 1);
        return this.reporter.state;
      }
      if (outcome === 'failed') {
        const next = await this.afterFailure(index);
        if (next === 'retry') continue;
        return this.reporter.state;
      }
      index += 1;
    }
    return this.reporter.finish('done');
  }

  /** After a failed step: retry it, roll back, or abort. Returns 'retry' to run the step again. */
  private async afterFailure(index: number): Promise<'retry' | 'ended'> {
    this.reporter.run('awaiting');
    const choice = await this.wait(['retry', 'rollback', 'abort']);
    this.reporter.run('running');
    if (choice === 'retry') return 'retry';
    if (choice === 'rollback') await this.rollbackFrom(index);
    else await this.reporter.finish('aborted');
    return 'ended';
  }

  /** Runs the rollbacks of the steps applied so far (and of `index`), newest first, each previewed and confirmed. */
  private async rollbackFrom(index: number): Promise<void> {
    for (let i = index; i >= 0; i--) {
      const rollback = this.steps[i]?.rollback;
      if (!rollback || !(this.applied.has(i) || i === index)) continue;
      const outcome = await this.runStep(i, rollback, true);
      if (outcome !== 'done') {
        await this.reporter.finish('aborted');
        return;
      }
    }
    await this.reporter.finish('rolled-back');
  }

  /** Re-verifies a step whose requests were answered before deckhand stopped (never applies it again). */
  private async verifyOnly(index: number, plan: StepPlan): Promise<boolean> {
    const step = this.steps[index]!;
    this.applied.add(index);
    this.reporter.phase(index, 'verifying', { plan, note: 'resumed: re-verifying what was applied before deckhand stopped' });
    await this.reporter.journalStep(index, 'verifying', plan);
    const result = await verifyStep(this.context(), step, plan, (check, deadline) => this.reporter.progress(index, check, deadline));
    if (result.ok) {
      await this.reporter.done(index, 'done');
      return true;
    }
    await this.reporter.fail(index, result.reason, result.details);
    return false;
  }

  /** Walks one step (or a step's rollback) through its phases. */
  private async runStep(index: number, step: Omit<Step<Record<string, unknown>>, 'rollback'>, rollingBack: boolean): Promise<'done' | 'failed' | 'aborted' | 'rollback'> {
    const reporter = this.reporter;
    for (;;) {
      if (this.abortController.signal.aborted) return 'aborted';
      reporter.phase(index, 'previewing', { rollingBack });
      await reporter.journalStep(index, 'previewing');
      let plan: StepPlan;
      try {
        plan = await step.preview(this.context());
      } catch (err) {
        await reporter.fail(index, `preview failed: ${(err as Error).message}`);
        return 'failed';
      }
      reporter.planned(index, plan);
      if (plan.skip) {
        reporter.phase(index, 'skipped', { plan, note: plan.skip });
        await reporter.done(index, rollingBack ? 'rolled-back' : 'skipped');
        return 'done';
      }
      const mutates = plan.requests.length > 0 || step.apply !== undefined;
      if (step.confirm !== false || plan.blockers.length > 0) {
        // Journal first, then show the question and start waiting in one go: a confirmation can never arrive
        // while the step looks like it is asking but nobody listens yet.
        await reporter.journalStep(index, 'awaiting-confirmation', plan);
        reporter.phase(index, 'awaiting-confirmation', { plan });
        reporter.run('awaiting');
        const choice = await this.wait(['confirm', 'again', 'abort', ...(rollingBack ? [] : (['rollback'] as const)), ...(this.steps[index]?.optional && !rollingBack ? (['skip'] as const) : [])]);
        reporter.run('running');
        if (choice === 'abort') return 'aborted';
        if (choice === 'rollback') return 'rollback';
        if (choice === 'again') continue;
        if (choice === 'skip') {
          await reporter.done(index, 'skipped');
          return 'done';
        }
      }
      if (mutates) {
        reporter.phase(index, 'applying', { plan });
        await reporter.journalStep(index, 'applying', plan);
        const outcome = await applyStep(this.context(), { id: rollingBack ? `${step.id}:rollback` : step.id, ...(step.apply ? { apply: step.apply } : {}) }, index, plan, this.options.journal, this.audit);
        if (outcome.kind === 'stale') {
          reporter.stale(index, outcome.reason);
          continue;
        }
        if (outcome.kind === 'error') {
          await reporter.fail(index, outcome.reason);
          return 'failed';
        }
        if (!rollingBack) this.applied.add(index);
      }
      if (step.verify) {
        reporter.phase(index, 'verifying', { plan });
        await reporter.journalStep(index, 'verifying', plan);
        const result = await verifyStep(this.context(), step, plan, (check, deadline) => reporter.progress(index, check, deadline));
        if (!result.ok) {
          if (this.abortController.signal.aborted) return 'aborted';
          await reporter.fail(index, result.reason, result.details);
          return 'failed';
        }
      }
      await reporter.done(index, rollingBack ? 'rolled-back' : 'done');
      return 'done';
    }
  }
}
