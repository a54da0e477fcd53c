// The help screen, generated from the key table and the command table: every key that works (read-only mode
// leaves out the mutating ones, as it does everywhere), where it works, and the `:` commands.
import { Box, Text } from 'ink';
import { lineCommands } from '../commands.js';
import { useDeck } from '../context.js';
import { keyLabel, keymap, placeTitles, screenIds, screenTitles, type KeyBinding } from '../keymap.js';
import type { Tone } from '../theme.js';
import { scrollHint, useScroll } from '../detail/use-scroll.js';

const groups: KeyBinding['group'][] = ['Screens', 'Moving', 'Tables', 'Runbooks', 'Runbook view', 'Prompts', 'General'];

const titles: Record<string, string> = { ...screenTitles, ...placeTitles, screens: 'tables' };
const whereText = (b: KeyBinding) => (b.where.includes('everywhere') ? '' : b.where.map((w) => titles[w] ?? w).join(', '));

/** The help text as lines with tones, for a read-only or normal session. */
export function helpLines(readOnly: boolean): { text: string; tone?: Tone }[] {
  const shown = keymap.filter((b) => !(readOnly && b.mutating));
  const keysText = (b: KeyBinding) => b.keys.map(keyLabel).join(' ');
  const width = Math.max(...shown.map((b) => keysText(b).length));
  const lines: { text: string; tone?: Tone }[] = [];
  for (const group of groups) {
    const entries = shown.filter((b) => b.group === group);
    if (entries.length === 0) continue;
    lines.push({ text: group, tone: 'heading' });
    for (const b of entries) lines.push({ text: `  ${keysText(b).padEnd(width)}  ${b.description}${whereText(b) ? `  [${whereText(b)}]` : ''}` });
  }
  if (readOnly) lines.push({ text: 'Read-only: the runbook keys (R, +, -, B and every key that drives a run) are switched off.', tone: 'warn' });
  lines.push({ text: 'Commands (type : then the command, Enter)', tone: 'heading' });
  for (const c of lineCommands) {
    const name = `:${c.name}${c.args ? ` ${c.args}` : ''}`;
    lines.push({ text: `  ${name.padEnd(16)}  ${c.description}${c.aliases.length ? ` (also ${c.aliases.map((a) => `:${a}`).join(' ')})` : ''}` });
  }
  lines.push({ text: `Screens: ${screenIds.map((id, i) => `${i + 1} ${screenTitles[id]}`).join(' · ')}`, tone: 'muted' });
  return lines;
}

/** Renders the help screen in `height` lines, scrolled with the moving keys. */
export function Help({ height, active }: { height: number; active: boolean }) {
  const { useShell, theme } = useDeck();
  const readOnly = useShell((s) => s.session.readOnly);
  const lines = helpLines(readOnly);
  const rows = Math.max(1, height - 1);
  const top = useScroll(lines.length, rows, 'help', active);
  const hint = scrollHint(top, rows, lines.length);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text {...theme.style('heading')}>Help</Text>
        <Text {...theme.style('muted')}>{`  ${hint ? `${hint} · ` : ''}Esc or ? closes`}</Text>
      </Text>
      {lines.slice(top, top + rows).map((line, i) => (
        <Text key={top + i} wrap="truncate" {...theme.style(line.tone)}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
