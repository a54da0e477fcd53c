// The line above the footer: the filter or command being typed, else the latest flash message (for a few
// seconds), else the pending runbook request, else the active filter.
import { Text } from 'ink';
import { useDeck, useNow } from '../context.js';

/** How long a flash message stays. */
export const flashMs = 8000;

/** Renders the status line. */
export function StatusLine() {
  const { useApp, useShell, theme } = useDeck();
  const now = useNow();
  const { mode, input, pending } = useShell((s) => ({ mode: s.mode, input: s.input, pending: s.pendingRunbook?.summary }));
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
  if (pending) return <Text wrap="truncate" {...theme.style('muted')}>{`pending runbook request: ${pending} (waiting for the runbook engine)`}</Text>;
  if (filter) return <Text wrap="truncate" {...theme.style('muted')}>{`filter "${filter}" (/ to edit, Esc to clear)`}</Text>;
  return <Text> </Text>;
}
