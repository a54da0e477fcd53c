// The Runbooks screen's last section when the engine is wired: the run going on (or the last one) in one line,
// and how to get to it; a start that failed says why.
import { useMemo } from 'react';
import { Text } from 'ink';
import { createUseRunbook, type RunbookStore } from '../../store/runbook-slice.js';
import { useDeck } from '../context.js';
import { runSummary } from '../runbook/run-summary.js';

/** The current run's line under a "Run" heading. */
export function CurrentRun({ store }: { store: RunbookStore }) {
  const { theme } = useDeck();
  const useRunbook = useMemo(() => createUseRunbook(store), [store]);
  const { run, starting, error } = useRunbook((s) => ({ run: s.run, starting: s.starting, error: s.error }));
  const line = run ? runSummary(run) : starting ? { text: `starting ${starting}…`, tone: 'accent' as const } : undefined;
  return (
    <>
      <Text wrap="truncate" {...theme.style('heading')}>Run</Text>
      {line ? <Text wrap="truncate" {...theme.style(line.tone)}>{`  ${line.text} — o opens the runbook view`}</Text> : null}
      {error ? <Text wrap="truncate" {...theme.style('error')}>{`  ${error}`}</Text> : null}
      {!line && !error ? <Text wrap="truncate" {...theme.style('muted')}>{'  none yet: R, +/- or B (here, on Nodes or on Machines) starts a runbook with its parameters filled in'}</Text> : null}
    </>
  );
}
