// The tunnel's observable state and its small typed listener API: each change produces a new TunnelState object
// (so a store can compare by reference), and byte/channel counters are published at a bounded rate.
import type { SocksObserver } from './socks.js';
import type { TunnelError, TunnelErrorInfo, TunnelEvent, TunnelListener, TunnelState } from './types.js';

type EventWithoutState = TunnelEvent extends infer E ? (E extends unknown ? Omit<E, 'state'> : never) : never;
type Patch = { [K in keyof TunnelState]?: TunnelState[K] | undefined };

/** Holds the current TunnelState and publishes events to subscribers. */
export class TunnelStateHolder {
  private current: TunnelState = { phase: 'idle', attempt: 0, openChannels: 0, totalChannels: 0, bytesIn: 0, bytesOut: 0 };
  // Bytes relayed since the state was last read. Counting happens on every chunk (hundreds of thousands per second
  // under load); a new state object is made only when someone reads it, so its identity still changes exactly when
  // its content did.
  private bytesIn = 0;
  private bytesOut = 0;
  private readonly listeners = new Set<TunnelListener>();
  private readonly notices = new Set<string>();
  private statsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly statsIntervalMs: number) {}

  /** The current state, with every byte counted so far. */
  get state(): TunnelState {
    if (this.bytesIn !== 0 || this.bytesOut !== 0) {
      const s = this.current;
      this.current = { ...s, bytesIn: s.bytesIn + this.bytesIn, bytesOut: s.bytesOut + this.bytesOut };
      this.bytesIn = 0;
      this.bytesOut = 0;
    }
    return this.current;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: TunnelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a patch (undefined removes a field); `'stats'` also schedules a throttled stats event. */
  update(patch: Patch, publish?: 'stats'): void {
    const next: Record<string, unknown> = { ...this.state, ...patch };
    for (const [key, value] of Object.entries(next)) if (value === undefined) delete next[key];
    this.current = next as unknown as TunnelState;
    if (publish === 'stats') this.scheduleStats();
  }

  /** Publishes an event carrying the current state. */
  emit(event: EventWithoutState): void {
    const full = { ...event, state: this.state } as TunnelEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(full);
      } catch (err) {
        // A broken subscriber must not break the tunnel loop; surface it like an EventEmitter would.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  /** Publishes a non-fatal notice once per distinct message. */
  notice(message: string): void {
    if (this.notices.has(message)) return;
    this.notices.add(message);
    this.emit({ type: 'notice', message });
  }

  /** Records an error as the last error and returns its serialisable summary. */
  recordError(error: TunnelError): TunnelErrorInfo {
    const info: TunnelErrorInfo = { kind: error.kind, message: error.message, at: Date.now() };
    this.update({ lastError: info });
    return info;
  }

  /** Counters fed by the SOCKS listener. */
  socksObserver(): SocksObserver {
    return {
      onBytes: (direction, count) => {
        if (direction === 'in') this.bytesIn += count;
        else this.bytesOut += count;
        this.scheduleStats();
      },
      onChannel: (delta) => {
        const s = this.state;
        this.update({ openChannels: s.openChannels + delta, totalChannels: s.totalChannels + (delta > 0 ? 1 : 0) }, 'stats');
      },
    };
  }

  /** Stops the stats timer (the tunnel ended). */
  dispose(): void {
    clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
  }

  private scheduleStats(): void {
    if (this.statsTimer) return;
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined;
      this.emit({ type: 'stats' });
    }, this.statsIntervalMs);
  }
}
