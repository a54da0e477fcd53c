// One line about a run for places outside the runbook view (status line, Runbooks screen): which runbook, which
// step, and whether it waits for the operator, so leaving the view never hides a question.
import type { RunState } from '../../store/runbook-slice.js';
import type { Tone } from '../theme.js';

/** `scale-md: step 4/6 Patch /scale — waiting for you`, with a tone saying whether it needs the operator. */
export function runSummary(run: RunState): { text: string; tone: Tone } {
  const step = run.steps[run.current];
  const where = step ? `step ${run.current + 1}/${run.steps.length} ${step.title}` : '';
  if (run.phase === 'done' || run.phase === 'aborted' || run.phase === 'rolled-back') return { text: `${run.runbook}: ${run.phase}`, tone: run.phase === 'done' ? 'ok' : 'muted' };
  if (step?.phase === 'failed') return { text: `${run.runbook}: ${where} FAILED`, tone: 'error' };
  if (run.phase === 'awaiting') return { text: `${run.runbook}: ${where} — waiting for you`, tone: 'warn' };
  return { text: `${run.runbook}: ${where} (${step?.phase ?? run.phase})`, tone: 'accent' };
}
