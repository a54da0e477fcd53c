// The line above the footer: the filter or command being typed, else the latest flash message (for a few
// seconds), else the run going on outside the runbook view, else the pending runbook request, else the filter.
import { useMemo, type ReactNode } from 'react';
import { Text } from 'ink';
import { createUseRunbook, type RunbookStore } from '../../store/runbook-slice.js';
import { useDeck, useNow } from '../context.js';
import { runSummary } from '../runbook/run-summary.js';

/** How long a flash message stays. */
export const flashMs = 8000;

/** Renders the status line. */
export function StatusLine() {
  const { useApp, useShell, runbooks, theme } = useDeck();
  const now = useNow();
  const { mode, input, pending, runbookView } = useShell((s) => ({ mode: s.mode, input: s.input, pending: s.pendingRunbook?.summary, runbookView: s.runbookView }));
  const { flash, filter } = useApp((s) => ({ flash: s.ui.flash, filter: s.ui.filter }));
  if (mode === 'filter' || mode === 'command') {
    return (
      <Text wrap="truncate">
        <Text {...theme.style('accent')}>{mode === 'filter' ? '/' : ':'}</Text>
        <Text>{input}</Text>
        <Text {...theme.style('selected')}> </Text>
        <Text {...theme.style('muted')}>{mode === 'filter' ? '  Enter keep · Esc clear' : '  Enter run · Esc cancel · Tab complete'}</Text>
      </Text>
    );
  }
  if (flash && now - flash.at < flashMs) {
    return <Text wrap="truncate" {...theme.style(flash.level === 'info' ? 'accent' : flash.level)}>{flash.text}</Text>;
  }
  const rest = pending
    ? <Text wrap="truncate" {...theme.style('muted')}>{`pending runbook request: ${pending} (waiting for the runbook engine)`}</Text>
    : filter ? <Text wrap="truncate" {...theme.style('muted')}>{`filter "${filter}" (/ to edit, Esc to clear)`}</Text> : <Text> </Text>;
  if (runbooks && !runbookView) return <RunStatus store={runbooks} otherwise={rest} quiet={!pending && !filter} />;
  return rest;
}

/** The run going on outside the runbook view (a finished one only when the line is otherwise empty), else the rest. */
function RunStatus({ store, otherwise, quiet }: { store: RunbookStore; otherwise: ReactNode; quiet: boolean }) {
  const { theme } = useDeck();
  const useRunbook = useMemo(() => createUseRunbook(store), [store]);
  const run = useRunbook((s) => s.run);
  const ended = run?.phase === 'done' || run?.phase === 'aborted' || run?.phase === 'rolled-back';
  if (!run || (ended && !quiet)) return otherwise;
  const { text, tone } = runSummary(run);
  return <Text wrap="truncate" {...theme.style(tone)}>{`runbook ${text} · o opens it`}</Text>;
}
