// Running a command again in a child Node with V8 flags that can only be set when a process starts (heap sizes:
// v8.setFlagsFromString is too late for them, see https://nodejs.org/api/v8.html#v8setflagsfromstringflags).
// The child gets its own process group, so a terminal's Ctrl-C reaches it once, through this parent, exactly as
// a SIGINT or SIGTERM sent to this process's pid does; a second Ctrl-C is forwarded too and ends it hard, as
// before. Its output goes straight to the same terminal or pipes. If this parent dies without a chance to forward
// anything (SIGKILL), the child sees its IPC channel close and stops as on SIGTERM.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Whether this process already runs with every one of `flags`. */
export function hasFlags(flags: readonly string[]): boolean {
  return flags.every((flag) => process.execArgv.includes(flag));
}

/**
 * Runs this same command line in a child Node started with `flags` and resolves to its exit code (128 + the signal
 * number if a signal ended it). Returns undefined when this process already has the flags: run the command here.
 */
export function relaunchWith(flags: readonly string[]): Promise<number> | undefined {
  if (hasFlags(flags)) return undefined;
  const child = spawn(process.execPath, [...flags, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of forwarded) process.on(signal, forward);
  return new Promise((resolve) => {
    const finish = (code: number) => {
      for (const signal of forwarded) process.off(signal, forward);
      resolve(code);
    };
    child.once('error', (err) => {
      process.stderr.write(`deckhand: cannot start ${process.execPath}: ${err.message}\n`);
      finish(1);
    });
    child.once('exit', (code, signal) => finish(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

/** In the relaunched child: calls `stop` when the parent is gone (its IPC channel closed), without keeping the loop alive. */
export function onParentGone(stop: () => void): void {
  if (!process.channel) return;
  process.channel.unref();
  process.once('disconnect', stop);
}
