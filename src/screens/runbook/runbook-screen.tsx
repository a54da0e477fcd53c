// The runbook screen: the steps, the current step's plan (exact requests with their dry-run diff, warnings,
// blockers, acknowledgements), verify progress with the time left, the timeline, the last-resort recovery line
// when the runbook has one, and the confirmation: y/Enter, or the target's name typed for a dangerous step in a
// production profile. Its keys are the key table's `run.*` and `name.*` entries (place `runbook`): y/Enter confirm ·
// a acknowledge next · s skip (optional steps) · r retry/re-check · b roll back · x abort · c clear · Esc leave.
import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { humanAge } from '../../format/duration.js';
import { createUseRunbook, type RunbookStore } from '../../store/runbook-slice.js';
import { useDeck } from '../context.js';
import { useKeymap } from '../use-keymap.js';
import { PlanView } from './plan-view.js';
import { StepList, Timeline } from './step-list.js';

/** Props of the runbook screen. */
export interface RunbookScreenProps {
  store: RunbookStore;
  width: number;
  height: number;
  /** False while another part of the UI has the keys. */
  active: boolean;
  /** Clock for "time left"; default Date.now. */
  now?: () => number;
}

/** The runbook screen. */
export function RunbookScreen({ store, width, height, active, now = Date.now }: RunbookScreenProps) {
  const { useShell, shell, theme } = useDeck();
  const useRunbook = useMemo(() => createUseRunbook(store), [store]);
  const { run, error, refusal, starting } = useRunbook((s) => ({ run: s.run, error: s.error, refusal: s.refusal, starting: s.starting }));
  const typed = useShell((s) => (s.mode === 'type-name' ? s.input : undefined));
  const actions = store.getState().actions;
  const step = run?.steps[run.current];
  const asking = run?.phase === 'awaiting' && step?.phase === 'awaiting-confirmation' ? step.plan : undefined;
  const needsName = asking?.danger !== undefined && run?.production === true;

  useKeymap(
    {
      'run.confirm': () => (needsName ? shell.getState().actions.setMode('type-name', '') : void actions.confirm()),
      'run.acknowledge': () => {
        const next = asking?.acknowledgements.find((a) => !run?.acknowledged.includes(a.id));
        if (next) actions.acknowledge(next.id);
      },
      'run.skip': () => void actions.skip(),
      'run.retry': () => void actions.retry(),
      'run.rollback': () => void actions.rollback(),
      'run.abort': () => actions.abort(),
      'run.clear': () => actions.clear(),
      // The run goes on; the status line keeps it in sight (and says when it waits) until `o` comes back.
      'run.leave': () => shell.getState().actions.showRunbook(false),
    },
    { place: 'runbook', active },
  );
  useKeymap(
    {
      'name.submit': () => {
        const name = shell.getState().input;
        shell.getState().actions.setMode('normal', '');
        actions.confirm(name);
      },
      'name.cancel': () => shell.getState().actions.setMode('normal', ''),
    },
    { place: 'type-name', active },
  );

  if (!run) {
    return (
      <Box flexDirection="column">
        <Text {...theme.style('heading')}>Runbook</Text>
        <Text {...theme.style(error ? 'error' : 'muted')}>{starting ? `starting ${starting}: connecting and reading the cluster…` : (error ?? 'no runbook running: R, +/- or B asks for one')}</Text>
      </Box>
    );
  }
  const t = now();
  const progress = step?.progress;
  const left = step?.phase === 'verifying' && step.deadline ? ` (${humanAge(Math.max(0, step.deadline - t))} left)` : '';
  // Every other line of the view is counted, so the plan gets all the rest (its request line matters most).
  const showProgress = progress !== undefined && step?.phase !== 'awaiting-confirmation';
  const details = step?.phase === 'failed' ? Math.min(4, progress?.details?.length ?? 0) : 0;
  const others = [step?.error, showProgress, refusal, error].filter(Boolean).length;
  // The last-resort line wraps rather than being cut: its end (`unset --allowed-cidrs <listener-id>`) is the point.
  const recovery = run.recovery ? `last resort: ${run.recovery}` : undefined;
  const recoveryLines = recovery ? Math.ceil(recovery.length / Math.max(20, width)) : 0;
  const planHeight = Math.max(3, height - (3 + recoveryLines + run.steps.length + Math.min(4, run.timeline.length) + details + others));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text {...theme.style('heading')}>{`${run.title}`}</Text>
        <Text>{`  ${run.context}  ${run.phase}${run.resumed ? ' (resumed)' : ''}  `}</Text>
        {run.production ? <Text {...theme.style('danger-badge')}> PRODUCTION </Text> : null}
      </Text>
      {recovery ? <Text wrap="wrap" {...theme.style('warn')}>{recovery}</Text> : null}
      <StepList run={run} theme={theme} />
      <Text> </Text>
      {step?.plan ? <PlanView plan={step.plan} acknowledged={run.acknowledged} height={planHeight} theme={theme} /> : null}
      {step?.error ? <Text wrap="truncate" {...theme.style('error')}>{step.error}</Text> : null}
      {showProgress ? <Text wrap="truncate" {...theme.style(progress.ok ? 'ok' : 'accent')}>{`${progress.text}${left}`}</Text> : null}
      {step?.phase === 'failed' ? (progress?.details ?? []).slice(0, 4).map((d, i) => <Text key={i} wrap="truncate" {...theme.style('muted')}>{`  ${d}`}</Text>) : null}
      <Timeline run={run} count={4} theme={theme} />
      {refusal ? <Text wrap="truncate" {...theme.style('warn')}>{refusal}</Text> : null}
      {error ? <Text wrap="truncate" {...theme.style('error')}>{error}</Text> : null}
      <Text wrap="truncate" {...theme.style(typed !== undefined ? 'warn' : 'muted')}>{prompt(run.phase, step?.phase, asking, needsName, typed)}</Text>
    </Box>
  );
}

function prompt(phase: string, stepPhase: string | undefined, asking: { danger?: { target: string; what: string }; blockers: string[] } | undefined, needsName: boolean, typed: string | undefined): string {
  if (typed !== undefined) return `type ${asking?.danger?.target ?? ''} to ${asking?.danger?.what ?? 'confirm'}: ${typed}▌  (Enter confirms, Esc cancels)`;
  if (phase === 'done' || phase === 'aborted' || phase === 'rolled-back') return `run ${phase} — c clears · Esc leaves`;
  if (stepPhase === 'failed') return 'failed — r retry · b roll back what was applied · x abort';
  if (asking?.blockers.length) return 'blocked — r re-check · b roll back · x abort';
  if (asking) return `${needsName ? `y/Enter then type ${asking.danger!.target}` : 'y/Enter confirm'} · a acknowledge · s skip · b roll back · x abort`;
  return 'working… x abort · Esc leaves (the run goes on)';
}
