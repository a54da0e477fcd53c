// The dashboard's log: under Ink nothing may write to the terminal (it would tear the frame), so everything that
// would be a log line goes to a file in the XDG state directory, opened for append.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes one line with a timestamp. */
export type Log = (line: string) => void;

/** The log file of the dashboard in a state directory. */
export function logFileIn(stateDir: string): string {
  return join(stateDir, 'deckhand.log');
}

/** A logger appending to `file`; a failing write is dropped rather than thrown into the UI. */
export function fileLog(file: string): Log {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch {
    // Reported by the first write failing silently; the dashboard still runs.
  }
  return (line) => {
    try {
      appendFileSync(file, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      // Nowhere else to write: the terminal belongs to Ink.
    }
  };
}
