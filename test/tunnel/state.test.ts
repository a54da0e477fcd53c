// The tunnel's state holder: bytes are counted on every chunk but the state object changes only when it is read
// after a change, so subscribers comparing by reference see every change and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TunnelStateHolder } from '../../src/tunnel/state.js';

test('byte counts reach the state and its stats event; the object changes only when its content did', async () => {
  const holder = new TunnelStateHolder(10);
  const first = holder.state;
  assert.equal(holder.state, first, 'nothing changed: same object');
  const observer = holder.socksObserver();
  observer.onBytes?.('in', 100);
  observer.onBytes?.('out', 7);
  observer.onBytes?.('in', 23);
  const stats = new Promise<{ bytesIn: number; bytesOut: number }>((resolve) => holder.subscribe((e) => e.type === 'stats' && resolve(e.state)));
  const counted = holder.state;
  assert.notEqual(counted, first);
  assert.equal(counted.bytesIn, 123);
  assert.equal(counted.bytesOut, 7);
  assert.equal(holder.state, counted, 'read twice without a change: same object');
  observer.onChannel?.(1);
  observer.onBytes?.('out', 1);
  assert.deepEqual([holder.state.openChannels, holder.state.totalChannels, holder.state.bytesOut], [1, 1, 8]);
  const published = await stats;
  assert.deepEqual([published.bytesIn, published.bytesOut], [123, 8]);
  assert.equal(first.bytesIn, 0, 'an earlier state is never changed in place');
  holder.dispose();
});
