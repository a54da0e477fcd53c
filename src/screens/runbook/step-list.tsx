// The steps of a run with a mark per phase, and the timeline's last lines with the time since the run started.
import { Box, Text } from 'ink';
import { humanAge } from '../../format/duration.js';
import type { RunState, StepState } from '../../store/runbook-slice.js';
import type { Theme, Tone } from '../theme.js';

const marks: Record<StepState['phase'], [string, Tone]> = {
  pending: ['·', 'muted'],
  previewing: ['…', 'accent'],
  'awaiting-confirmation': ['?', 'warn'],
  applying: ['▶', 'accent'],
  verifying: ['⧗', 'accent'],
  done: ['✔', 'ok'],
  skipped: ['–', 'muted'],
  failed: ['✗', 'error'],
  'rolling-back': ['↶', 'warn'],
  'rolled-back': ['↶', 'muted'],
};

/** Steps with their marks. */
export function StepList({ run, theme }: { run: RunState; theme: Theme }) {
  return (
    <Box flexDirection="column">
      {run.steps.map((step, i) => {
        const [mark, tone] = marks[step.phase];
        const label = `${mark} ${i + 1}. ${step.title}${step.rollingBack ? ' (rollback)' : ''}${step.phase === 'awaiting-confirmation' ? ' — waiting for you' : ''}${step.stale ? ` (stale plan ×${step.stale})` : ''}`;
        return <Text key={step.id} wrap="truncate" {...theme.style(i === run.current && run.phase !== 'done' ? 'selected' : tone)}>{label}</Text>;
      })}
    </Box>
  );
}

/** The last `count` timeline entries: `+1m5s  follow: replacement prow-md-0-x Running`. */
export function Timeline({ run, count, theme }: { run: RunState; count: number; theme: Theme }) {
  const entries = run.timeline.slice(-count);
  return (
    <Box flexDirection="column">
      {entries.map((e, i) => (
        <Text key={i} wrap="truncate" {...theme.style('muted')}>{`+${humanAge(Math.max(0, e.at - run.startedAt)).padEnd(6)} ${e.step ? `${e.step}: ` : ''}${e.text}`}</Text>
      ))}
    </Box>
  );
}
