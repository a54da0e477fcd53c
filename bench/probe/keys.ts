// Keystroke-to-frame latency. Each key is sent as one terminal read; the clock stops at the first frame Ink writes
// after the key changed the dashboard's state (its screen, filter, selection or input line). React commits a store
// change before any timer runs (useSyncExternalStore updates are synchronous), so every frame written after the
// change shows it, whether Ink writes it at once or at the end of its frame throttle. A key that changes nothing
// (Page Down on the last page) draws nothing and is not counted. Keys follow at a typing pace; one whose frame comes
// later than the pace is followed at once by the next.
import type { AppStore } from '../../src/store/app-store.js';
import type { ShellStore } from '../../src/store/shell-store.js';
import type { KeyTiming, Keystroke } from '../lib/protocol.js';
import type { FakeStdin, FakeStdout } from './terminal.js';

const limitMs = 5000;

/** What a key can change that the operator sees. */
function uiState(app: AppStore, shell: ShellStore): string {
  const { ui } = app.getState();
  const s = shell.getState();
  return JSON.stringify([ui.screen, ui.filter, ui.selection, s.mode, s.input, s.views, s.detail, s.sorts]);
}


/** Types the script and returns each key's latency (null: no visible change, or nothing drawn within 5 s). */
export async function typeScript(
  io: { stdin: FakeStdin; stdout: FakeStdout; app: AppStore; shell: ShellStore },
  script: Keystroke[],
  gapMs: number,
): Promise<{ timings: KeyTiming[]; frames: number }> {
  const { stdin, stdout, app, shell } = io;
  const timings: KeyTiming[] = [];
  const framesBefore = stdout.frames;
  for (const key of script) {
    const before = uiState(app, shell);
    let changedAt: number | undefined;
    const watch = () => {
      if (changedAt === undefined && uiState(app, shell) !== before) changedAt = performance.now();
    };
    const stops = [app.subscribe(watch), shell.subscribe(watch)];
    const pressedAt = performance.now();
    stdin.press(key.data);
    // A lone Escape is held by Ink until the next turn of the event loop (it may start a sequence), as in a terminal.
    for (let i = 0; i < 3 && changedAt === undefined; i++) await new Promise((r) => setImmediate(r));
    for (const stop of stops) stop();
    if (changedAt === undefined) {
      timings.push({ label: key.label, ms: null, changed: false });
    } else {
      const frame = await stdout.frameAfter(changedAt, limitMs).catch(() => null);
      timings.push({ label: key.label, ms: frame ? frame.at - pressedAt : null, changed: true });
    }
    const rest = gapMs - (performance.now() - pressedAt);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  return { timings, frames: stdout.frames - framesBefore };
}
