// The root component: binds the stores' hooks once, picks the theme, runs the clock, keeps the jobs table warm and
// follows the terminal size, then renders the shell. The composition root (src/cli/ui.ts) and the tests render
// exactly this.
import { useMemo } from 'react';
import { useApp as useInkApp } from 'ink';
import type { AppStore } from '../store/app-store.js';
import { createPromptStore, createUsePrompts, type PromptStore } from '../store/prompt-store.js';
import type { RunbookStore } from '../store/runbook-slice.js';
import { createUseShell, type ShellStore } from '../store/shell-store.js';
import { createUseApp } from '../store/use-app.js';
import { DeckContext, NowContext, type Deck } from './context.js';
import { useWarmJobsTable } from './jobs/warm.js';
import { KeyRegistry } from './key-registry.js';
import { Shell } from './shell/shell.js';
import { themeFromEnv, type Theme } from './theme.js';
import { useClock, useTerminalSize, type TerminalSize } from './use-terminal.js';

/** Props of <App>. */
export interface AppProps {
  store: AppStore;
  shell: ShellStore;
  /** The runbook engine's store (the composition root wires requests to it); absent: requests stay pending. */
  runbooks?: RunbookStore;
  /** Questions for the operator; default an empty store of its own. */
  prompts?: PromptStore;
  /** Fixed terminal size (tests); default: stdout's, following resizes. */
  size?: TerminalSize;
  /** Clock for ages and freshness; default Date.now. */
  clock?: () => number;
  /** How often the clock is re-read; 0 freezes it (tests). Default 1000 ms. */
  tickMs?: number;
  theme?: Theme;
  /** Called when the operator quits, before Ink exits. */
  onQuit?: () => void;
}

const systemClock = () => Date.now();

/** The dashboard. */
export function App({ store, shell, runbooks, prompts, size, clock = systemClock, tickMs = 1000, theme, onQuit }: AppProps) {
  const { exit } = useInkApp();
  const deck = useMemo<Deck>(() => {
    const questions = prompts ?? createPromptStore();
    return {
      useApp: createUseApp(store), useShell: createUseShell(shell), usePrompts: createUsePrompts(questions), app: store, shell, prompts: questions,
      ...(runbooks ? { runbooks } : {}), theme: theme ?? themeFromEnv(), keys: new KeyRegistry(),
    };
  }, [store, shell, runbooks, prompts, theme]);
  const now = useClock(clock, tickMs);
  useWarmJobsTable(store, now);
  const terminal = useTerminalSize(size);
  const quit = () => {
    onQuit?.();
    exit();
  };
  return (
    <DeckContext.Provider value={deck}>
      <NowContext.Provider value={now}>
        <Shell size={terminal} quit={quit} />
      </NowContext.Provider>
    </DeckContext.Provider>
  );
}
