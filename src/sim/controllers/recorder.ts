// An event recorder with client-go's aggregation: the same reason and message for the same object bumps `count` and
// `lastTimestamp` of the existing Event instead of creating a new one (EventCorrelator's dedup).
// @see k8s.io/client-go/tools/record/events_cache.go
import { isNotFound, type SimClient } from '../client.js';
import type { SimClock } from '../clock.js';
import { eventObject } from '../content/events.js';
import { hexString, type Random } from '../content/names.js';
import { timestamp, type KubeObject } from '../objects.js';
import type { Kinds } from './kinds.js';

interface Seen {
  name: string;
  namespace: string;
  count: number;
}

/** Records Events for one component. */
export class Recorder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly client: SimClient,
    private readonly kinds: Kinds,
    private readonly clock: SimClock,
    private readonly random: Random,
    private readonly log: (line: string) => void,
  ) {}

  /** Records an event; failures are logged, never thrown (events are best effort). */
  async event(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string, host?: string): Promise<void> {
    const key = `${involved.metadata.uid}/${type}/${reason}/${message}`;
    const previous = this.seen.get(key);
    const now = this.clock.now();
    try {
      if (previous) {
        previous.count += 1;
        await this.client.patch(this.kinds.events, previous.name, { count: previous.count, lastTimestamp: timestamp(now) }, { namespace: previous.namespace });
        return;
      }
      const event = eventObject({ involved, type, reason, message, component, host, nowMs: now, suffix: hexString(this.random, 16) });
      await this.client.create(this.kinds.events, event);
      this.seen.set(key, { name: event.metadata.name!, namespace: event.metadata.namespace!, count: 1 });
      if (this.seen.size > 5000) this.seen.delete(this.seen.keys().next().value!);
    } catch (err) {
      if (isNotFound(err)) this.seen.delete(key);
      else this.log(`events: ${reason} for ${involved.kind}/${involved.metadata.name}: ${(err as Error).message}`);
    }
  }
}
