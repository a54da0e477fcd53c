// Taking the terminal over for the dashboard and giving it back: the alternate screen and a hidden cursor on the
// way in; on the way out (quit, Ctrl-C, SIGTERM, SIGHUP, a crash) the cursor and the normal screen come back
// exactly once, and a crash's error is printed after the restore so it stays visible in the shell.
// Ink 6 has no alternateScreen option (added in 7.x), so this is done by hand (libraries.md §4).
import { appendFileSync } from 'node:fs';

/** The escape sequences involved (xterm; every terminal deckhand targets understands them). */
export const sequences = {
  enterAlternate: '\x1b[?1049h',
  leaveAlternate: '\x1b[?1049l',
  hideCursor: '\x1b[?25l',
  showCursor: '\x1b[?25h',
  home: '\x1b[H',
} as const;

/** What the process gets back when the dashboard ends. */
export interface TerminalSession {
  /** Restores the terminal (idempotent) and detaches the handlers. */
  restore(): void;
  /** Resolves with the signal or crash that asked to end, if any. */
  readonly interrupted: Promise<{ signal?: NodeJS.Signals; error?: unknown }>;
}

/** Where the terminal is written: stdout in the program, a fake in tests. */
export interface TerminalOut {
  write(text: string): boolean;
}

/** Enters the alternate screen and installs the restore handlers. */
export function takeTerminal(out: TerminalOut = process.stdout, options: { logFile?: string } = {}): TerminalSession {
  let restored = false;
  let resolveInterrupted: (value: { signal?: NodeJS.Signals; error?: unknown }) => void = () => {};
  const interrupted = new Promise<{ signal?: NodeJS.Signals; error?: unknown }>((r) => (resolveInterrupted = r));
  const restore = () => {
    if (restored) return;
    restored = true;
    out.write(sequences.showCursor + sequences.leaveAlternate);
    for (const signal of signals) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', restore);
  };
  const onSignal = (signal: NodeJS.Signals) => resolveInterrupted({ signal });
  const onCrash = (error: unknown) => {
    restore();
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (options.logFile) {
      try {
        appendFileSync(options.logFile, `${new Date().toISOString()} crash: ${text}\n`);
      } catch {
        // The log is best effort; the error still goes to stderr below.
      }
    }
    process.stderr.write(`deckhand: crashed: ${text}\n`);
    resolveInterrupted({ error });
    process.exitCode = 1;
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // Last resort: whatever ends the process, the terminal is not left in the alternate screen.
  process.on('exit', restore);
  out.write(sequences.enterAlternate + sequences.hideCursor + sequences.home);
  return { restore, interrupted };
}
