// The runbook screen: the steps, the current step's plan (exact requests with their dry-run diff, warnings,
// blockers, acknowledgements), verify progress with the time left, the timeline, the last-resort recovery line
// when the runbook has one, and the confirmation: y/Enter, or the target's name typed for a dangerous step in a
// production profile. Keys: y/Enter confirm · a acknowledge next · s skip (optional steps) · r retry/re-check ·
// b roll back · x abort · c clear a finished run.
import { useContext, useMemo, useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { humanAge } from '../../format/duration.js';
import { createUseRunbook, type RunbookStore } from '../../store/runbook-slice.js';
import { DeckContext } from '../context.js';
import { createTheme, type Theme } from '../theme.js';
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
  theme?: Theme;
}

/** The runbook screen. */
export function RunbookScreen({ store, height, active, now = Date.now, theme: given }: RunbookScreenProps) {
  const deck = useContext(DeckContext);
  const theme = given ?? deck?.theme ?? createTheme(false);
  const useRunbook = useMemo(() => createUseRunbook(store), [store]);
  const { run, error, refusal } = useRunbook((s) => ({ run: s.run, error: s.error, refusal: s.refusal }));
  const [typed, setTypedState] = useState<string | undefined>(undefined);
  // Keys can arrive faster than renders: the typed name lives in a ref, the state only redraws it.
  const typedRef = useRef<string | undefined>(undefined);
  const setTyped = (value: string | undefined) => {
    typedRef.current = value;
    setTypedState(value);
  };
  const actions = store.getState().actions;
  const step = run?.steps[run.current];
  const asking = run?.phase === 'awaiting' && step?.phase === 'awaiting-confirmation' ? step.plan : undefined;
  const needsName = asking?.danger !== undefined && run?.production === true;

  useInput(
    (input, key) => {
      const current = typedRef.current;
      if (current !== undefined) {
        if (key.escape) return setTyped(undefined);
        if (key.return) {
          actions.confirm(current);
          return setTyped(undefined);
        }
        if (key.backspace || key.delete) return setTyped(current.slice(0, -1));
        if (input && !key.ctrl && !key.meta) setTyped(current + input);
        return;
      }
      if (!run) return;
      if (asking && (input === 'y' || key.return)) {
        if (needsName) return setTyped('');
        actions.confirm();
        return;
      }
      if (input === 'a' && asking) {
        const next = asking.acknowledgements.find((a) => !run.acknowledged.includes(a.id));
        if (next) actions.acknowledge(next.id);
        return;
      }
      if (input === 's') actions.skip();
      else if (input === 'r') actions.retry();
      else if (input === 'b') actions.rollback();
      else if (input === 'x') actions.abort();
      else if (input === 'c') actions.clear();
    },
    { isActive: active },
  );

  if (!run) {
    return (
      <Box flexDirection="column">
        <Text {...theme.style('heading')}>Runbook</Text>
        <Text {...theme.style(error ? 'error' : 'muted')}>{error ?? 'no runbook running: R, +/- or B asks for one'}</Text>
      </Box>
    );
  }
  const t = now();
  const progress = step?.progress;
  const left = step?.phase === 'verifying' && step.deadline ? ` (${humanAge(Math.max(0, step.deadline - t))} left)` : '';
  const planHeight = Math.max(3, height - run.steps.length - 10);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text {...theme.style('heading')}>{`${run.title}`}</Text>
        <Text>{`  ${run.context}  ${run.phase}${run.resumed ? ' (resumed)' : ''}  `}</Text>
        {run.production ? <Text {...theme.style('danger-badge')}> PRODUCTION </Text> : null}
      </Text>
      {run.recovery ? <Text wrap="truncate" {...theme.style('warn')}>{`last resort: ${run.recovery}`}</Text> : null}
      <StepList run={run} theme={theme} />
      <Text> </Text>
      {step?.plan ? <PlanView plan={step.plan} acknowledged={run.acknowledged} height={planHeight} theme={theme} /> : null}
      {step?.error ? <Text wrap="truncate" {...theme.style('error')}>{step.error}</Text> : null}
      {progress && step?.phase !== 'awaiting-confirmation' ? <Text wrap="truncate" {...theme.style(progress.ok ? 'ok' : 'accent')}>{`${progress.text}${left}`}</Text> : null}
      {step?.phase === 'failed' ? (progress?.details ?? []).slice(0, 4).map((d, i) => <Text key={i} wrap="truncate" {...theme.style('muted')}>{`  ${d}`}</Text>) : null}
      <Timeline run={run} count={4} theme={theme} />
      {refusal ? <Text wrap="truncate" {...theme.style('warn')}>{refusal}</Text> : null}
      <Text wrap="truncate" {...theme.style(typed !== undefined ? 'warn' : 'muted')}>{prompt(run.phase, step?.phase, asking, needsName, typed)}</Text>
    </Box>
  );
}

function prompt(phase: string, stepPhase: string | undefined, asking: { danger?: { target: string; what: string }; blockers: string[] } | undefined, needsName: boolean, typed: string | undefined): string {
  if (typed !== undefined) return `type ${asking?.danger?.target ?? ''} to ${asking?.danger?.what ?? 'confirm'}: ${typed}▌  (Enter confirms, Esc cancels)`;
  if (phase === 'done' || phase === 'aborted' || phase === 'rolled-back') return `run ${phase} — c clears`;
  if (stepPhase === 'failed') return 'failed — r retry · b roll back what was applied · x abort';
  if (asking?.blockers.length) return 'blocked — r re-check · b roll back · x abort';
  if (asking) return `${needsName ? `y/Enter then type ${asking.danger!.target}` : 'y/Enter confirm'} · a acknowledge · s skip · b roll back · x abort`;
  return 'working… x abort';
}
