// Drives a run from the terminal: prints the timeline, shows each plan, and answers the engine's questions from the
// operator (y/Enter, typed names, acknowledgements) or, with --yes, from flags. --yes never types a name for the
// operator: a dangerous step in a production profile still needs that name given with --type-name.
import type { Run } from '../runbooks/engine.js';
import type { RunState } from '../runbooks/types.js';
import { planLines, timelineLine } from './runbook-render.js';

/** How decisions are made. */
export interface DriverOptions {
  /** Confirm ordinary steps without asking. */
  yes: boolean;
  /** Names typed in advance for dangerous production steps (--type-name). */
  typedNames: readonly string[];
  /** Acknowledgement ids given in advance (--ack). */
  acks: readonly string[];
  /** What to do after a failure when nobody can be asked. */
  onFailure: 'abort' | 'rollback';
  /** Asks the operator; undefined when there is no terminal to ask. */
  ask?: (question: string) => Promise<string>;
  write(text: string): void;
}

/** Runs to the end; resolves with the final state and, when it stopped early, why. */
export async function drive(run: Run, options: DriverOptions): Promise<{ state: RunState; stopped?: string }> {
  let printed = 0;
  let stopped: string | undefined;
  let wake: (() => void) | undefined;
  const shown = new Set<string>();
  const off = run.subscribe((state) => {
    for (const entry of state.timeline.slice(printed)) options.write(`${timelineLine(entry, state.startedAt)}\n`);
    printed = state.timeline.length;
    // Steps that never ask (follow, summary) show their plan once they run.
    for (const [i, step] of state.steps.entries()) {
      const key = `${i}:${step.plan?.summary}`;
      if (!step.plan || shown.has(key) || !(step.phase === 'verifying' || step.phase === 'done')) continue;
      shown.add(key);
      options.write(`${planLines(step.plan, { production: state.production }).join('\n')}\n`);
    }
    if (state.phase !== 'running') wake?.();
  });
  let finished = false;
  const done = run.start().finally(() => {
    finished = true;
    wake?.();
  });
  const stop = (why: string) => {
    stopped ??= why;
    run.abort();
  };
  while (!finished) {
    const state = run.state();
    if (state.phase !== 'awaiting') {
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      continue;
    }
    await decide(run, state, options, stop, shown);
    // Let the engine leave the awaiting phase before looking again.
    await new Promise((r) => setImmediate(r));
  }
  off();
  return { state: await done, ...(stopped ? { stopped } : {}) };
}

async function decide(run: Run, state: RunState, options: DriverOptions, stop: (why: string) => void, shown: Set<string>): Promise<void> {
  const step = state.steps[state.current]!;
  const { ask, write } = options;
  if (step.phase === 'failed') {
    write(`step ${state.current + 1} (${step.title}) failed: ${step.error ?? '?'}\n${(step.progress?.details ?? []).map((d) => `  ${d}\n`).join('')}`);
    if (!ask) return void (options.onFailure === 'rollback' ? run.rollback() : stop(`step ${step.id} failed`));
    const answer = (await ask('[r]etry, roll [b]ack what was applied, or [q]uit? ')).trim().toLowerCase();
    if (answer === 'r') run.retry();
    else if (answer === 'b') run.rollback();
    else stop(`step ${step.id} failed`);
    return;
  }
  if (step.phase !== 'awaiting-confirmation' || !step.plan) return;
  const plan = step.plan;
  shown.add(`${state.current}:${plan.summary}`);
  write(`\n${step.rollingBack ? 'rollback of ' : ''}step ${state.current + 1}: ${step.title}\n${planLines(plan, { production: state.production }).join('\n')}\n`);
  if (plan.blockers.length) {
    if (!ask) return stop(`blocked: ${plan.blockers.join('; ')}`);
    const answer = (await ask('blocked: [r]e-check or [q]uit? ')).trim().toLowerCase();
    if (answer === 'r') run.retry();
    else stop(`blocked: ${plan.blockers[0]}`);
    return;
  }
  for (const ack of plan.acknowledgements.filter((a) => !state.acknowledged.includes(a.id))) {
    if (options.acks.includes(ack.id)) {
      run.acknowledge(ack.id);
      continue;
    }
    if (!ask) return stop(`needs acknowledgement: ${ack.text} (pass --ack ${ack.id})`);
    const answer = (await ask(`acknowledge: ${ack.text}? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') return stop(`not acknowledged: ${ack.text}`);
    run.acknowledge(ack.id);
  }
  let typed: string | undefined;
  if (plan.danger && state.production) {
    typed = options.typedNames.find((n) => n === plan.danger!.target);
    if (typed === undefined) {
      if (!ask) return stop(`dangerous step in a production profile: pass --type-name ${plan.danger.target} to ${plan.danger.what}`);
      typed = (await ask(`type ${plan.danger.target} to ${plan.danger.what}: `)).trim();
    }
  } else if (!options.yes) {
    if (!ask) return stop('no terminal to confirm on: pass --yes');
    const mutating = plan.requests.length > 0 || plan.actions.length > 0;
    const answer = (await ask(`${mutating ? 'apply' : 'continue'}? [Y/n${step.rollingBack ? '' : ', b = roll back instead'}] `)).trim().toLowerCase();
    if (answer === 'b') return void run.rollback();
    if (answer !== '' && answer !== 'y' && answer !== 'yes') return stop('not confirmed');
  }
  const result = run.confirm(typed);
  if (!result.ok) {
    write(`not confirmed: ${result.reason}\n`);
    if (!ask) stop(result.reason);
  }
}
