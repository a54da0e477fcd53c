// The detail pane: a title and a scrolling window over pre-built lines. Moving keys scroll it; Esc (handled by
// the shell) closes it.
import { Box, Text } from 'ink';
import { useDeck } from '../context.js';
import type { DetailLine } from './lines.js';
import { scrollHint, useScroll } from './use-scroll.js';

/** Props of <DetailPane>. */
export interface DetailPaneProps {
  title: string;
  lines: readonly DetailLine[];
  height: number;
  active: boolean;
}

/** Renders `title` and as many lines as fit, scrolled by the moving keys. */
export function DetailPane({ title, lines, height, active }: DetailPaneProps) {
  const { theme } = useDeck();
  const rows = Math.max(1, height - 1);
  const top = useScroll(lines.length, rows, 'detail', active);
  const hint = scrollHint(top, rows, lines.length);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text {...theme.style('heading')}>{title}</Text>
        <Text {...theme.style('muted')}>{`  ${hint ? `${hint} · ` : ''}Esc back`}</Text>
      </Text>
      {lines.slice(top, top + rows).map((line, i) => (
        <Text key={top + i} wrap="truncate" {...theme.style(line.tone)}>
          {line.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
