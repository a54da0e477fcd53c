// The engine's bookkeeping: the RunState the screens render (replaced, never mutated, on every change), the
// timeline with elapsed times, and the journal records that go with each transition.
import type { Journal, ResumePoint } from './journal.js';
import type { Check, JsonValue, Runbook, RunListener, RunProfile, RunState, StepPhase, StepPlan, StepState } from './types.js';

/** The state of a run that has not started. */
export function initialState(options: { runbook: Runbook<never>; params: Record<string, JsonValue>; profile: RunProfile; journal: Journal; client: { target: { context: string } } }, now: number): RunState {
  const { runbook } = options;
  const state: RunState = {
    runId: options.journal.runId,
    runbook: runbook.id,
    title: runbook.title,
    params: options.params,
    context: options.client.target.context,
    production: options.profile.production,
    phase: 'running',
    current: 0,
    steps: runbook.steps.map((s) => ({ id: s.id, title: s.title, phase: 'pending', stale: 0 })),
    memory: {},
    inputs: {},
    acknowledged: [],
    startedAt: now,
    timeline: [],
  };
  const recovery = runbook.recovery?.({ memory: state.memory, params: state.params as never });
  return recovery ? { ...state, recovery } : state;
}

/** Holds the RunState, publishes changes and writes the matching journal records. */
export class Reporter {
  private readonly listeners = new Set<RunListener>();
  private readonly recovery: Runbook<never>['recovery'];

  constructor(
    public state: RunState,
    private readonly journal: Journal,
    private readonly now: () => number = Date.now,
    recovery?: Runbook<never>['recovery'],
  ) {
    this.recovery = recovery;
  }

  subscribe(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(next: RunState): void {
    const recovery = this.recovery?.({ memory: next.memory, params: next.params as never });
    this.state = recovery ? { ...next, recovery } : next;
    for (const listener of this.listeners) listener(this.state);
  }

  private patchStep(index: number, patch: Partial<StepState>, note?: string): void {
    const steps = this.state.steps.map((s, i) => (i === index ? { ...s, ...patch } : s));
    const timeline = note ? [...this.state.timeline, { at: this.now(), step: this.state.steps[index]?.id, text: note }] : this.state.timeline;
    this.set({ ...this.state, steps, current: index, timeline });
  }

  /** Records the run's start in the journal. */
  async started(options: { runbook: Runbook<never>; params: Record<string, JsonValue>; profile: RunProfile; client: { target: { context: string; server: string } } }): Promise<void> {
    await this.journal.write({
      type: 'start', runId: this.state.runId, runbook: options.runbook.id, params: options.params, context: options.client.target.context,
      server: options.client.target.server, profile: options.profile.name, production: options.profile.production,
    });
    this.note('started');
  }

  /** Restores what the journal knew; finished steps show as done. */
  resumed(point: ResumePoint): void {
    const steps = this.state.steps.map((s, i): StepState => {
      const finished = point.finished.find((f) => f.index === i);
      return finished ? { ...s, phase: finished.phase } : s;
    });
    this.set({ ...this.state, steps, current: point.index, memory: point.memory, inputs: point.inputs, acknowledged: point.acknowledged, startedAt: point.startedAt, resumed: true });
    this.note(`resumed at step ${point.index + 1} (${point.lastPhase} when deckhand stopped)`);
  }

  /** Adds a timeline line not tied to a step. */
  note(text: string): void {
    this.set({ ...this.state, timeline: [...this.state.timeline, { at: this.now(), text }] });
  }

  /** Moves a step to a phase (screens only; journalStep() writes the record). */
  phase(index: number, phase: StepPhase, extra: { plan?: StepPlan; note?: string; rollingBack?: boolean; error?: string } = {}): void {
    const step = this.state.steps[index];
    const patch: Partial<StepState> = { phase, ...(extra.plan ? { plan: extra.plan } : {}), ...(extra.error ? { error: extra.error } : {}) };
    if (extra.rollingBack !== undefined) patch.rollingBack = extra.rollingBack;
    if (phase === 'previewing') {
      patch.progress = undefined;
      patch.deadline = undefined;
      patch.error = undefined;
      if (step?.startedAt === undefined) patch.startedAt = this.now();
    }
    const label = extra.note ?? (phase === 'awaiting-confirmation' ? `waiting for confirmation: ${extra.plan?.summary ?? ''}` : phase === 'previewing' ? undefined : phase);
    this.patchStep(index, patch, label && (extra.rollingBack || step?.rollingBack) ? `rollback: ${label}` : label);
  }

  /** Shows a fresh preview's plan. */
  planned(index: number, plan: StepPlan): void {
    this.patchStep(index, { plan });
  }

  /** Journals a transition of a step. */
  async journalStep(index: number, phase: StepPhase, plan?: StepPlan): Promise<void> {
    await this.journal.write({ type: 'step', index, id: this.state.steps[index]!.id, phase, ...(plan ? { plan } : {}) });
  }

  /** Latest verify progress. */
  progress(index: number, check: Check, deadline?: number): void {
    const previous = this.state.steps[index]?.progress?.text;
    this.patchStep(index, { progress: check, ...(deadline !== undefined ? { deadline } : {}) }, check.text !== previous ? check.text : undefined);
  }

  /** The plan went stale: say so; the engine previews again. */
  stale(index: number, reason: string): void {
    const step = this.state.steps[index]!;
    this.patchStep(index, { stale: step.stale + 1, error: `stale plan, previewing again: ${reason}` }, `the object changed since the preview; previewing again (${reason})`);
  }

  /** A step ended well (or was skipped, or rolled back). */
  async done(index: number, phase: 'done' | 'skipped' | 'rolled-back'): Promise<void> {
    this.patchStep(index, { phase, endedAt: this.now() }, phase);
    await this.journalStep(index, phase);
  }

  /** A step failed. */
  async fail(index: number, reason: string, details?: string[]): Promise<void> {
    const progress = details ? { ok: false, text: reason, details } : this.state.steps[index]?.progress;
    await this.journal.write({ type: 'step', index, id: this.state.steps[index]!.id, phase: 'failed', error: reason });
    this.patchStep(index, { phase: 'failed', error: reason, endedAt: this.now(), ...(progress ? { progress } : {}) }, `failed: ${reason}`);
  }

  /** Whether the run waits for the operator. */
  run(phase: 'running' | 'awaiting'): void {
    if (this.state.phase !== phase) this.set({ ...this.state, phase });
  }

  /** Ends the run (journaled as finished, so it is not offered for resuming). */
  async finish(phase: 'done' | 'aborted' | 'rolled-back'): Promise<RunState> {
    await this.journal.write({ type: 'finish', phase });
    this.set({ ...this.state, phase, timeline: [...this.state.timeline, { at: this.now(), text: `run ${phase}` }] });
    return this.state;
  }

  /** Stores a learned fact (journaled first). */
  async remember(key: string, value: JsonValue): Promise<void> {
    await this.journal.write({ type: 'memory', key, value });
    this.set({ ...this.state, memory: { ...this.state.memory, [key]: value } });
  }

  /** Records an acknowledgement. */
  async acknowledge(id: string): Promise<void> {
    if (this.state.acknowledged.includes(id)) return;
    this.set({ ...this.state, acknowledged: [...this.state.acknowledged, id] });
    await this.journal.write({ type: 'ack', id });
  }

  /** Records an edited input. */
  async input(id: string, value: string): Promise<void> {
    await this.journal.write({ type: 'input', id, value });
    this.set({ ...this.state, inputs: { ...this.state.inputs, [id]: value } });
  }
}
