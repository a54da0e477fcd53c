// A terminal for the render loop, instrumented: stdout records when each frame was written and what it said,
// stdin delivers key presses the way a TTY does. Ink writes to it exactly as to a real terminal (not in debug mode,
// so its frame throttle and full-frame redraws are part of what is measured).
import { EventEmitter } from 'node:events';

/** One write of a frame. */
export interface Frame {
  at: number;
  text: string;
}

/** A TTY-like stdout of a fixed size. */
export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  readonly columns: number;
  readonly rows: number;
  frames = 0;
  bytes = 0;
  last: Frame = { at: 0, text: '' };
  /** Recent frames, oldest first. */
  private readonly recent: Frame[] = [];
  private readonly waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }

  write(chunk: string | Uint8Array, encoding?: unknown, callback?: () => void): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const at = performance.now();
    this.bytes += text.length;
    // Synchronized-output markers and cursor moves arrive as their own writes; a frame is a write with text in it.
    if (text.length > 32) {
      this.frames += 1;
      this.last = { at, text: plain(text) };
      this.recent.push(this.last);
      if (this.recent.length > 100) this.recent.splice(0, 50);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i]!;
        if (w.test(this.last)) {
          this.waiters.splice(i, 1);
          w.resolve(this.last);
        }
      }
    }
    const done = typeof encoding === 'function' ? (encoding as () => void) : callback;
    done?.();
    return true;
  }

  /** The first frame written at or after `time` (performance.now), already written or still to come. */
  frameAfter(time: number, timeoutMs: number): Promise<Frame> {
    const hit = this.recent.find((f) => f.at >= time);
    return hit ? Promise.resolve(hit) : this.after((f) => f.at >= time, timeoutMs);
  }

  /** The first frame (already written or still to come) that passes the test. */
  next(test: (frame: Frame) => boolean, timeoutMs: number): Promise<Frame> {
    if (this.last.at > 0 && test(this.last)) return Promise.resolve(this.last);
    return this.after(test, timeoutMs);
  }

  /** The first frame written from now on that passes the test. */
  after(test: (frame: Frame) => boolean, timeoutMs: number): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const waiter = {
        test,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching frame within ${timeoutMs} ms; last frame:\n${this.last.text.slice(0, 3000)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

/** A TTY-like stdin: write() is a read from the terminal (one key press or escape sequence). */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private pending: string[] = [];

  press(data: string): void {
    this.pending.push(data);
    this.emit('readable');
  }

  read(): string | null {
    return this.pending.shift() ?? null;
  }

  setEncoding(): this {
    return this;
  }

  setRawMode(): this {
    return this;
  }

  resume(): this {
    return this;
  }

  pause(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

/** The text of a write without escape sequences (colours, cursor moves, line erases). */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, '');
}
