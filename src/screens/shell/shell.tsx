// The app shell: header, the body (a question waiting for an answer, else help, else the runbook view, else the
// current screen), the status line and the footer, sized to one row less than the terminal (Ink clears the whole
// screen on every frame once the output reaches the terminal's height, libraries.md §4). Global keys are bound in
// use-shell-keys.ts; the one key listener of the app is use-dispatch.ts.
import { Box, Text } from 'ink';
import { runCommandLine, type CommandOps } from '../commands.js';
import { useDeck } from '../context.js';
import type { ScreenId } from '../keymap.js';
import type { TerminalSize } from '../use-terminal.js';
import { ComponentsScreen } from '../components/components-screen.js';
import { JobsScreen } from '../jobs/jobs-screen.js';
import { MachinesScreen } from '../machines/machines-screen.js';
import { NodesScreen } from '../nodes/nodes-screen.js';
import { RunbookScreen } from '../runbook/runbook-screen.js';
import { RunbooksScreen } from '../runbooks/runbooks-screen.js';
import { PromptView } from '../prompt/prompt-view.js';
import { Footer } from './footer.js';
import { Header, headerHeight } from './header.js';
import { Help } from './help.js';
import { StatusLine } from './status-line.js';
import { currentPlace, currentScreen, useKeyDispatch } from './use-dispatch.js';
import { useShellKeys } from './use-shell-keys.js';

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
  const { useApp, useShell, usePrompts, app, shell, runbooks, theme } = useDeck();
  const screen = currentScreen(useApp((s) => s.ui.screen));
  const { mode, detail, runbookView } = useShell((s) => ({ mode: s.mode, detail: s.detail, runbookView: s.runbookView }));
  const prompt = usePrompts((s) => s.prompts[0]?.kind);
  const showRun = runbookView && runbooks !== undefined;
  const place = currentPlace({ mode, detail, screen, runbook: showRun, ...(prompt ? { prompt } : {}) });
  const tooSmall = size.columns < minimumSize.columns || size.rows < minimumSize.rows;

  const goto = (id: ScreenId) => {
    const { actions } = shell.getState();
    actions.setDetail(false);
    actions.setMode('normal', '');
    actions.showRunbook(false);
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
  useShellKeys({ goto: (id) => goto(id as ScreenId), quit });
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
      {/* Clipped vertically only: every line is already cut to the width (wrap/truncate), and a horizontal clip
          makes Ink re-slice each line's ANSI styles with slice-ansi on every frame (ink build/output.js, #560). */}
      <Box flexDirection="column" height={bodyHeight} overflowY="hidden">
        {prompt ? <PromptView width={size.columns} height={bodyHeight} />
          : mode === 'help' ? <Help height={bodyHeight} active />
          : showRun ? <RunbookScreen store={runbooks} width={size.columns} height={bodyHeight} active={mode === 'normal' || mode === 'type-name'} />
          : <Screen width={size.columns} height={bodyHeight} active={mode === 'normal'} />}
      </Box>
      <StatusLine />
      <Footer place={place} />
    </Box>
  );
}
