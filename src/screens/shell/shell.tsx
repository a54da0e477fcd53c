// The app shell: header, the current screen (or help), the status line and the footer, sized to one row less
// than the terminal (Ink clears the whole screen on every frame once the output reaches the terminal's height,
// libraries.md §4). Global keys live here: screens, help, filter, command line, back and quit; the one key
// listener of the app too (use-dispatch.ts).
import { Box, Text } from 'ink';
import { runCommandLine, type CommandOps } from '../commands.js';
import { useDeck } from '../context.js';
import { screenIds, type ScreenId } from '../keymap.js';
import { useKeymap } from '../use-keymap.js';
import type { TerminalSize } from '../use-terminal.js';
import { ComponentsScreen } from '../components/components-screen.js';
import { JobsScreen } from '../jobs/jobs-screen.js';
import { MachinesScreen } from '../machines/machines-screen.js';
import { NodesScreen } from '../nodes/nodes-screen.js';
import { RunbooksScreen } from '../runbooks/runbooks-screen.js';
import { Footer } from './footer.js';
import { Header, headerHeight } from './header.js';
import { Help } from './help.js';
import { StatusLine } from './status-line.js';
import { currentPlace, currentScreen, useKeyDispatch } from './use-dispatch.js';

/** The smallest terminal the dashboard lays out in. */
export const minimumSize: TerminalSize = { columns: 80, rows: 24 };

const screens: Record<ScreenId, typeof NodesScreen> = {
  nodes: NodesScreen,
  machines: MachinesScreen,
  jobs: JobsScreen,
  components: ComponentsScreen,
  runbooks: RunbooksScreen,
};

/** Props of <Shell>. */
export interface ShellProps {
  size: TerminalSize;
  quit(): void;
}

/** The whole dashboard at a given terminal size. */
export function Shell({ size, quit }: ShellProps) {
  const { useApp, useShell, app, shell, theme } = useDeck();
  const screen = currentScreen(useApp((s) => s.ui.screen));
  const { mode, detail } = useShell((s) => ({ mode: s.mode, detail: s.detail }));
  const place = currentPlace(mode, detail, screen);
  const tooSmall = size.columns < minimumSize.columns || size.rows < minimumSize.rows;

  const goto = (id: ScreenId) => {
    const { actions } = shell.getState();
    actions.setDetail(false);
    actions.setMode('normal', '');
    app.getState().actions.setFilter('');
    app.getState().actions.setScreen(id);
  };
  const ops: CommandOps = {
    goto,
    switchContext: (name) => {
      const ok = shell.getState().actions.switchContext(name);
      app.getState().actions.flash(ok ? 'info' : 'error', ok ? `switching to context ${name}…` : 'switching contexts is not available in this session');
    },
    contexts: () => shell.getState().session.contexts,
    currentContext: () => app.getState().connection.target?.context ?? shell.getState().session.context,
    help: () => shell.getState().actions.setMode('help'),
    quit,
    flash: (level, text) => app.getState().actions.flash(level, text),
  };
  const back = () => {
    const s = shell.getState();
    if (s.mode === 'help') return s.actions.setMode('normal');
    if (s.detail) return s.actions.setDetail(false);
    if (app.getState().ui.filter) app.getState().actions.setFilter('');
  };
  useKeymap(
    {
      ...Object.fromEntries(screenIds.map((id) => [`screen.${id}`, () => goto(id)])),
      quit,
      help: () => shell.getState().actions.setMode(shell.getState().mode === 'help' ? 'normal' : 'help'),
      'command-line': () => shell.getState().actions.setMode('command', ''),
      filter: () => shell.getState().actions.setMode('filter', app.getState().ui.filter),
      back,
    },
    { place: 'any', active: true },
  );
  useKeyDispatch({ run: (line) => runCommandLine(line, ops), quit }, tooSmall);

  if (tooSmall) {
    return (
      <Text wrap="truncate" {...theme.style('warn')}>
        {`terminal too small: ${size.columns}×${size.rows}, deckhand needs at least ${minimumSize.columns}×${minimumSize.rows} (q quits)`}
      </Text>
    );
  }
  const bodyHeight = size.rows - 1 - headerHeight - 2;
  const Screen = screens[screen];
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      <Header />
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {mode === 'help' ? <Help height={bodyHeight} active /> : <Screen width={size.columns} height={bodyHeight} active={mode === 'normal'} />}
      </Box>
      <StatusLine />
      <Footer place={place} />
    </Box>
  );
}
