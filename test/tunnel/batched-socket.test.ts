// Writes batched per event-loop turn (batched-socket.ts), against real loopback TCP servers: held back until the
// check phase, then delivered whole and in order with every callback called, flushed by end(), and still batching
// after net.Socket.prototype.connect (which resets a replaced `write`).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { batchWrites, connectBatched } from '../../src/tunnel/batched-socket.js';
import { withTimeout } from './harness.js';

const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** A server that records each read of each connection; resolves with its port and the reads of the first client. */
async function recorder(): Promise<{ port: number; reads: Buffer[]; ended: Promise<void> }> {
  const reads: Buffer[] = [];
  let ended!: () => void;
  const server = createServer((s) => {
    s.on('data', (c: Buffer) => reads.push(c));
    s.on('end', () => ended());
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, reads, ended: new Promise((resolve) => (ended = resolve)) };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('writes of one turn wait for the check phase, then leave together, in order, each callback called', async () => {
  const server = await recorder();
  const socket = connectBatched('127.0.0.1', server.port);
  await once(socket, 'connect');
  const called: number[] = [];
  socket.write('one,', () => called.push(1));
  socket.write(Buffer.from('two,'), () => called.push(2));
  socket.write('three', 'utf8', () => called.push(3));
  assert.equal(socket.writableCorked, 1, 'corked until the check phase');
  assert.equal(socket.writableLength, 'one,two,three'.length, 'nothing sent yet');
  await nextTurn();
  assert.equal(socket.writableCorked, 0);
  await withTimeout((async () => { while (Buffer.concat(server.reads).length < 13) await nextTurn(); })(), 5000, 'delivery');
  assert.equal(Buffer.concat(server.reads).toString(), 'one,two,three');
  assert.equal(server.reads.length, 1, 'one segment for the whole batch');
  assert.deepEqual(called, [1, 2, 3]);
  socket.destroy();
});

test('end() in the same turn sends what was batched before the FIN', async () => {
  const server = await recorder();
  const socket = connectBatched('127.0.0.1', server.port);
  await once(socket, 'connect');
  socket.write('last words');
  socket.end();
  await withTimeout(server.ended, 5000, 'FIN');
  assert.equal(Buffer.concat(server.reads).toString(), 'last words');
});

test('an accepted socket batches too; a later turn starts a new batch', async () => {
  const client = await new Promise<Socket>((resolve) => {
    const server = createServer((accepted) => resolve(batchWrites(accepted)));
    servers.push(server);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const reader = connectBatched('127.0.0.1', port);
      reader.on('data', () => {});
    });
  });
  client.write('a');
  assert.equal(client.writableLength, 1);
  await nextTurn();
  await withTimeout((async () => { while (client.writableLength > 0) await nextTurn(); })(), 5000, 'flush');
  client.write('b');
  assert.equal(client.writableCorked, 1, 'the next turn corks again');
  client.destroy();
});
