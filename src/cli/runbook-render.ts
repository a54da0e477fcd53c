// Plain-text rendering of runbook plans and progress for `deckhand runbook` (the TUI has its own screen). Pure:
// state in, lines out, so the same text is tested without a terminal.
import { humanAge } from '../format/duration.js';
import { requestText } from '../runbooks/preview.js';
import type { PlannedStep } from '../runbooks/plan-all.js';
import type { RunState, StepPlan, TimelineEntry } from '../runbooks/types.js';

/** The lines of one step's plan: summary, findings, each request with its diff, actions, warnings, blockers. */
export function planLines(plan: StepPlan, options: { production?: boolean } = {}): string[] {
  const out = [`  ${plan.summary}`];
  if (plan.skip) out.push(`  (nothing to do: ${plan.skip})`);
  for (const line of plan.lines) out.push(`  ${line}`);
  for (const [i, { plan: request, diff }] of plan.requests.entries()) {
    out.push(`  request ${i + 1}/${plan.requests.length}: ${request.summary}`);
    out.push(...requestText(request).map((l) => `    ${l}`));
    if (diff.length) out.push('    would change (server dry run):', ...diff.map((l) => `      ${l}`));
  }
  for (const action of plan.actions) out.push(`  then: ${action}`);
  for (const input of plan.inputs) out.push(`  input ${input.id} = ${input.value}${input.hint ? `  (${input.hint})` : ''}`);
  for (const warning of plan.warnings) out.push(`  ! ${warning}`);
  for (const ack of plan.acknowledgements) out.push(`  ? acknowledge [${ack.id}]: ${ack.text}`);
  for (const blocker of plan.blockers) out.push(`  ✗ BLOCKED: ${blocker}`);
  if (plan.danger) out.push(`  ⚠ dangerous: ${plan.danger.what}${options.production ? ` — type ${plan.danger.target} to confirm` : ''}`);
  return out;
}

/** `--plan`: every step's preview. */
export function planText(title: string, steps: readonly PlannedStep[], options: { production?: boolean; recovery?: string } = {}): string {
  const out = [`${title} — plan (nothing is changed)`];
  if (options.recovery) out.push(`last resort: ${options.recovery}`);
  for (const step of steps) {
    out.push('', `${step.index + 1}. ${step.title}`);
    if (step.error) out.push(`  cannot preview: ${step.error}`);
    if (step.plan) out.push(...planLines(step.plan, options));
  }
  return `${out.join('\n')}\n`;
}

/** One timeline line with the time since the run started: `[+1m5s] scale: done`. */
export function timelineLine(entry: TimelineEntry, startedAt: number): string {
  return `[+${humanAge(Math.max(0, entry.at - startedAt))}] ${entry.step ? `${entry.step}: ` : ''}${entry.text}`;
}

/** The final report of a run: each step's outcome and the last verify details. */
export function resultText(state: RunState): string {
  const out = [`${state.title}: ${state.phase}`];
  for (const [i, step] of state.steps.entries()) {
    out.push(`  ${i + 1}. ${step.title}: ${step.phase}${step.error ? ` — ${step.error}` : ''}`);
    if (step.phase === 'failed') for (const d of step.progress?.details ?? []) out.push(`       ${d}`);
  }
  return `${out.join('\n')}\n`;
}
