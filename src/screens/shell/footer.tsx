// The footer: the keys that work where the operator is, read from the key table (so read-only mode, which drops
// the mutating entries, shows none of them).
import { Text } from 'ink';
import { useDeck } from '../context.js';
import { bindingsFor, type KeyBinding, type Place } from '../keymap.js';

// A prompt's or the runbook view's own keys first (they are what the operator must answer with), then the general
// keys, so help and quit survive truncation on an 80-column terminal.
const order: KeyBinding['group'][] = ['Prompts', 'Runbook view', 'General', 'Runbooks', 'Tables', 'Moving', 'Screens'];

/** The footer's `key text` items for a place, in display order. */
export function footerItems(place: Place, readOnly: boolean): { keys: string; text: string }[] {
  const items = bindingsFor({ place, readOnly }).filter((b) => b.footer);
  return order.flatMap((group) => items.filter((b) => b.group === group).map((b) => b.footer!));
}

/** Renders the footer line. */
export function Footer({ place }: { place: Place }) {
  const { useShell, theme } = useDeck();
  const readOnly = useShell((s) => s.session.readOnly);
  return (
    <Text wrap="truncate">
      {footerItems(place, readOnly).map((item, i) => (
        <Text key={i}>
          {' '}
          <Text {...theme.style('accent')}>{item.keys}</Text>
          <Text {...theme.style('muted')}>{` ${item.text}`}</Text>
        </Text>
      ))}
    </Text>
  );
}
