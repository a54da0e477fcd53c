// Simulated time. Objects always carry real wall-clock timestamps (so ages in kubectl and deckhand are true), but
// durations inside the simulation — provisioning delays, drain timeouts, job run times — are scaled: at timeScale
// 60 a simulated minute passes in one real second. Controllers measure "how long since" with elapsedSim() and wait
// with after()/sleep(), never with raw setTimeout, so the demo moves in seconds and tests can run at real pace.
//
// Timestamps in objects have whole-second precision, as metav1.Time does; at timeScale 100 one real second is 100
// simulated ones. So when a controller writes a timestamp it will later measure from, it stamps it here: the clock
// remembers the precise instant behind that string and elapsedSimSince() uses it while the object still carries it.
import { timestamp } from './objects.js';

/** A cancellable timer. */
export interface Timer {
  cancel(): void;
}

/** Options of the clock; `now` is injectable for pure tests. */
export interface ClockOptions {
  /** Simulated seconds per real second (1 = real pace). */
  timeScale?: number;
  now?: () => number;
}

/** Wall-clock time plus scaled simulated durations. */
export class SimClock {
  readonly timeScale: number;
  private readonly wall: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly marks = new Map<string, { iso: string; ms: number }>();

  constructor(optionsOrScale: ClockOptions | number = {}) {
    const options = typeof optionsOrScale === 'number' ? { timeScale: optionsOrScale } : optionsOrScale;
    const scale = options.timeScale ?? 1;
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`timeScale must be a positive number, got ${scale}`);
    this.timeScale = scale;
    this.wall = options.now ?? Date.now;
  }

  /** Real wall-clock milliseconds (what timestamps in objects are made of). */
  now(): number {
    return this.wall();
  }

  /** Real milliseconds to wait for a number of simulated seconds. */
  realMs(simSeconds: number): number {
    return Math.max(0, (simSeconds * 1000) / this.timeScale);
  }

  /** Simulated seconds for a number of real milliseconds. */
  simSeconds(realMs: number): number {
    return (realMs * this.timeScale) / 1000;
  }

  /** Simulated seconds elapsed since an RFC 3339 timestamp (or epoch ms); 0 for a missing or unparsable one. */
  elapsedSim(since: string | number | undefined): number {
    if (since === undefined) return 0;
    const start = typeof since === 'number' ? since : Date.parse(since);
    if (!Number.isFinite(start)) return 0;
    return Math.max(0, this.simSeconds(this.now() - start));
  }

  /** An RFC 3339 timestamp (whole seconds) for now, whose precise instant is remembered under `key`. */
  stamp(key: string): string {
    const ms = this.now();
    const iso = timestamp(ms);
    this.marks.delete(key);
    this.marks.set(key, { iso, ms });
    // Bounded: the oldest marks go first (they fall back to second precision).
    if (this.marks.size > 100_000) this.marks.delete(this.marks.keys().next().value!);
    return iso;
  }

  /** Simulated seconds since `iso`, precisely if this clock stamped that very value under `key`. */
  elapsedSimSince(key: string, iso: string | undefined): number {
    const mark = this.marks.get(key);
    if (mark && iso !== undefined && mark.iso === iso) return Math.max(0, this.simSeconds(this.now() - mark.ms));
    return this.elapsedSim(iso);
  }

  /** Forgets a stamp. */
  forget(key: string): void {
    this.marks.delete(key);
  }

  /** Runs `fn` after a number of simulated seconds. */
  after(simSeconds: number, fn: () => void): Timer {
    const handle = setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, this.realMs(simSeconds));
    this.timers.add(handle);
    return {
      cancel: () => {
        clearTimeout(handle);
        this.timers.delete(handle);
      },
    };
  }

  /** Runs `fn` every `simSeconds` until cancelled. */
  every(simSeconds: number, fn: () => void): Timer {
    const handle = setInterval(fn, Math.max(1, this.realMs(simSeconds)));
    this.timers.add(handle);
    return {
      cancel: () => {
        clearInterval(handle);
        this.timers.delete(handle);
      },
    };
  }

  /** Resolves after a number of simulated seconds. */
  sleep(simSeconds: number): Promise<void> {
    return new Promise((resolve) => this.after(simSeconds, resolve));
  }

  /** Cancels every pending timer (on shutdown). */
  cancelAll(): void {
    for (const handle of this.timers) clearTimeout(handle);
    this.timers.clear();
  }
}
