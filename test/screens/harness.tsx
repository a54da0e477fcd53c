// Drives the real <App> with ink-testing-library (seeded stores, or live ones with the runbook engine): keys go in through stdin, assertions read whole frames. Frames
// update a macrotask after a key (and a lone Escape waits for a flush), so every check polls with a bound.
import { render } from 'ink-testing-library';
import { App } from '../../src/screens/app.js';
import type { AppStore } from '../../src/store/app-store.js';
import type { PromptStore } from '../../src/store/prompt-store.js';
import type { RunbookStore } from '../../src/store/runbook-slice.js';
import type { ShellStore } from '../../src/store/shell-store.js';
import { createTheme } from '../../src/screens/theme.js';
import type { TerminalSize } from '../../src/screens/use-terminal.js';
import { NOW, seededStores, type SeedOptions } from './seed.js';

/** Key sequences as a terminal sends them. */
export const keys = {
  up: '\x1b[A', down: '\x1b[B', pageUp: '\x1b[5~', pageDown: '\x1b[6~', home: '\x1b[H', end: '\x1b[F',
  enter: '\r', esc: '\x1b', tab: '\t', backspace: '\x7f', ctrlC: '\x03',
} as const;

/** Polls until `check` holds (default bound 5 s, for loaded CI machines); the error names what was awaited and shows the last frame. */
export async function waitFor(check: () => boolean, what: string, frame: () => string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A rendered dashboard with helpers. */
export interface Dash {
  frame(): string;
  /** Writes keys one at a time, letting a frame pass between them. */
  press(...sequence: string[]): Promise<void>;
  /** Types text as one write (like a paste). */
  type(text: string): Promise<void>;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  waitForGone(text: string | RegExp, timeoutMs?: number): Promise<string>;
  stores: { store: AppStore; shell: ShellStore };
  /** How many frames Ink has rendered (ink-testing-library writes one per React commit). */
  renders(): number;
  quits: number;
  rerender(size: TerminalSize): void;
  unmount(): void;
}

const has = (frame: string, text: string | RegExp) => (typeof text === 'string' ? frame.includes(text) : text.test(frame));

/** What else a dashboard may be rendered with: live stores instead of the seeded ones, the runbook engine, prompts. */
export interface DashOptions extends SeedOptions {
  size?: TerminalSize;
  color?: boolean;
  /** Stores to render instead of the seeded ones (e.g. connected to deckhand sim); the clock then runs. */
  stores?: { store: AppStore; shell: ShellStore };
  runbooks?: RunbookStore;
  prompts?: PromptStore;
}

/** Renders the dashboard at `size` (default 100×30): seeded with a frozen clock, or live stores with a running one. */
export function dash(options: DashOptions = {}): Dash {
  const stores = options.stores ?? seededStores(options);
  const live = options.stores !== undefined;
  const size = options.size ?? { columns: 100, rows: 30 };
  const theme = createTheme(options.color ?? false);
  const state = { quits: 0 };
  const tree = (s: TerminalSize) => (
    <App
      store={stores.store} shell={stores.shell} size={s} clock={live ? Date.now : () => NOW} tickMs={live ? 1000 : 0} theme={theme} onQuit={() => state.quits++}
      {...(options.runbooks ? { runbooks: options.runbooks } : {})} {...(options.prompts ? { prompts: options.prompts } : {})}
    />
  );
  const app = render(tree(size));
  const frame = () => app.lastFrame() ?? '';
  const settle = () => new Promise((r) => setImmediate(() => setImmediate(r)));
  return {
    frame,
    async press(...sequence) {
      for (const key of sequence) {
        app.stdin.write(key);
        await settle();
        // A lone Escape is held until the next flush (ink-testing-library), so give it one more turn.
        if (key === keys.esc) await new Promise((r) => setTimeout(r, 20));
      }
    },
    async type(text) {
      app.stdin.write(text);
      await settle();
    },
    async waitFor(text, timeoutMs) {
      await waitFor(() => has(frame(), text), `"${String(text)}"`, frame, timeoutMs);
      return frame();
    },
    async waitForGone(text, timeoutMs) {
      await waitFor(() => !has(frame(), text), `"${String(text)}" to go`, frame, timeoutMs);
      return frame();
    },
    stores,
    renders: () => app.frames.length,
    get quits() {
      return state.quits;
    },
    rerender: (s) => app.rerender(tree(s)),
    unmount: () => {
      app.unmount();
      stores.store.getState().actions.dispose();
    },
  };
}
