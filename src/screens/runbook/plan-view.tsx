// A step's plan on screen: summary, findings, each exact request with the server's dry-run diff, local actions,
// inputs, warnings, blockers, and the acknowledgements with their state — cut to the height available (request
// bodies fold first, then the middle goes).
import { Box, Text } from 'ink';
import { requestText, type StepPlan } from '../../store/runbook-slice.js';
import type { Theme, Tone } from '../theme.js';

/** One line of the plan with its tone. */
export interface PlanLine {
  text: string;
  tone?: Tone;
  /** A request body line: the first to go when the plan does not fit (the diff below says the same). */
  body?: true;
}

/** The plan as lines (pure, so the order is tested with the screen). */
export function planViewLines(plan: StepPlan, acknowledged: readonly string[]): PlanLine[] {
  const out: PlanLine[] = [{ text: plan.summary, tone: 'heading' }];
  if (plan.skip) out.push({ text: `nothing to do: ${plan.skip}`, tone: 'muted' });
  for (const line of plan.lines) out.push({ text: line });
  for (const { plan: request, diff } of plan.requests) {
    out.push({ text: `request: ${request.summary}`, tone: 'accent' });
    const [first = '', ...rest] = requestText(request);
    // The query goes on its own line so a narrow terminal never cuts fieldValidation/dryRun off the request.
    const q = first.indexOf('?');
    out.push({ text: `  ${q < 0 ? first : first.slice(0, q)}`, tone: 'muted' });
    if (q >= 0) out.push({ text: `    ${first.slice(q)}`, tone: 'muted' });
    for (const line of rest) out.push({ text: `  ${line}`, tone: 'muted', body: true });
    for (const line of diff) out.push({ text: `  ${line}`, tone: line.startsWith('-') ? 'error' : 'ok' });
  }
  for (const action of plan.actions) out.push({ text: `then: ${action}`, tone: 'accent' });
  for (const input of plan.inputs) out.push({ text: `${input.label}: ${input.value}${input.hint ? ` (${input.hint})` : ''}` });
  for (const warning of plan.warnings) out.push({ text: `! ${warning}`, tone: 'warn' });
  for (const ack of plan.acknowledgements) out.push({ text: `${acknowledged.includes(ack.id) ? '[x]' : '[ ]'} ${ack.text}`, tone: acknowledged.includes(ack.id) ? 'muted' : 'warn' });
  for (const blocker of plan.blockers) out.push({ text: `✗ BLOCKED: ${blocker}`, tone: 'error' });
  return out;
}

/** Renders the plan's lines, at most `height` of them (the end is kept: blockers and acknowledgements matter most). */
export function PlanView({ plan, acknowledged, height, theme }: { plan: StepPlan; acknowledged: readonly string[]; height: number; theme: Theme }) {
  const all = planViewLines(plan, acknowledged);
  // Too long: request bodies fold into one line each first, so the request line itself and the diff stay visible.
  const lines = all.length <= height ? all : all.flatMap((line, i) => {
    if (!line.body) return [line];
    if (all[i - 1]?.body) return [];
    let n = 0;
    while (all[i + n]?.body) n += 1;
    return [{ text: `  … ${n} lines of request body (the diff below shows the change)`, tone: 'muted' as const }];
  });
  const shown = lines.length > height ? [lines[0]!, { text: `… ${lines.length - height + 1} more lines above`, tone: 'muted' as const }, ...lines.slice(lines.length - height + 2)] : lines;
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate" {...theme.style(line.tone)}>{line.text}</Text>
      ))}
    </Box>
  );
}
