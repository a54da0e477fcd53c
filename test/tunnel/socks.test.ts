// The SOCKS5 listener on its own, with real TCP upstreams (net.connect) in place of SSH channels: RFC 1928 framing
// split over many segments, the three address types, reply codes, half-close, destroyAll, loopback-only binding.
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { replyCodeFor, SocksReply, type SocksRequest } from '../../src/tunnel/socks-protocol.js';
import { listenSocks } from '../../src/tunnel/socks.js';
import { TunnelError } from '../../src/tunnel/types.js';

const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** An upstream that answers "<prefix>:" + everything it received, once the client half-closes. */
async function upstream(prefix: string): Promise<number> {
  const server = createServer({ allowHalfOpen: true }, (s) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => s.end(`${prefix}:${Buffer.concat(chunks).toString()}`));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

const withTimeout = <T>(p: Promise<T>, ms = 5000) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/** Reads exactly n bytes from a socket. */
async function read(socket: Socket, n: number): Promise<Buffer> {
  let buffer = Buffer.alloc(0);
  while (buffer.length < n) {
    const chunk = socket.read() as Buffer | null;
    if (chunk) buffer = Buffer.concat([buffer, chunk]);
    else if (socket.readableEnded || socket.destroyed) break;
    else await withTimeout(Promise.race([once(socket, 'readable'), once(socket, 'close')]));
  }
  if (buffer.length > n) socket.unshift(buffer.subarray(n));
  return buffer.subarray(0, n);
}

async function readAll(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await withTimeout(once(socket, 'end'));
  return Buffer.concat(chunks).toString();
}

function request(addressType: number, address: Buffer, port: number, command = 1): Buffer {
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port);
  const addr = addressType === 3 ? Buffer.concat([Buffer.from([address.length]), address]) : address;
  return Buffer.concat([Buffer.from([5, command, 0, addressType]), addr, portBytes]);
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.pause();
  await withTimeout(once(socket, 'connect'));
  return socket;
}

test('byte-by-byte greeting and request, then payload in the same write as nothing else', async () => {
  const target = await upstream('v4');
  const seen: SocksRequest[] = [];
  const socks = await listenSocks({ host: '127.0.0.1', port: 0 }, async (r) => {
    seen.push(r);
    const s = connect(r.port, r.host);
    await once(s, 'connect');
    return s;
  });
  const client = await open(socks.address.port);
  const bytes = Buffer.concat([Buffer.from([5, 2, 2, 0]), request(1, Buffer.from([127, 0, 0, 1]), target)]);
  for (const byte of bytes.subarray(0, 4)) {
    client.write(Buffer.from([byte]));
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual([...(await read(client, 2))], [5, 0]);
  for (const byte of bytes.subarray(4)) {
    client.write(Buffer.from([byte]));
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual([...(await read(client, 10))], [5, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  client.end('hello');
  assert.equal(await readAll(client), 'v4:hello');
  assert.deepEqual([seen[0]!.host, seen[0]!.port, seen[0]!.addressType], ['127.0.0.1', target, 1]);
  await socks.close();
});

test('greeting, request and first payload bytes in one segment (pipelining clients)', async () => {
  const target = await upstream('piped');
  const socks = await listenSocks({ host: '127.0.0.1', port: 0 }, async (r) => {
    const s = connect(r.port, '127.0.0.1');
    await once(s, 'connect');
    return s;
  });
  const client = await open(socks.address.port);
  client.write(Buffer.concat([Buffer.from([5, 1, 0]), request(1, Buffer.from([127, 0, 0, 1]), target), Buffer.from('early ')]));
  assert.deepEqual([...(await read(client, 12))].slice(0, 3), [5, 0, 5]);
  client.end('late');
  assert.equal(await readAll(client), 'piped:early late');
  await socks.close();
});

test('domain names are passed on unresolved (socks5h) and IPv6 targets in canonical form', async () => {
  const target = await upstream('named');
  const seen: string[] = [];
  const socks = await listenSocks({ host: '127.0.0.1', port: 0 }, async (r) => {
    seen.push(`${r.addressType}/${r.host}`);
    const s = connect(target, '127.0.0.1');
    await once(s, 'connect');
    return s;
  });
  const v6 = Buffer.alloc(16);
  v6[15] = 1;
  for (const [type, address] of [[3, Buffer.from('kube.internal')], [4, v6]] as const) {
    const client = await open(socks.address.port);
    client.write(Buffer.concat([Buffer.from([5, 1, 0]), request(type, address, 443)]));
    assert.deepEqual([...(await read(client, 12))].slice(2, 4), [5, 0]);
    client.end('x');
    assert.equal(await readAll(client), 'named:x');
  }
  assert.deepEqual(seen, ['3/kube.internal', '4/::1']);
  await socks.close();
});

test('reply codes: no acceptable method, unsupported command and address type, refused upstream', async () => {
  const failures: unknown[] = [
    Object.assign(new Error('(SSH) Channel open failure: administratively prohibited'), { reason: 1 }),
    Object.assign(new Error('(SSH) Channel open failure: Connection refused'), { reason: 2 }),
    new TunnelError('network', 'no SSH connection to the bastion right now'),
  ];
  let next = 0;
  const socks = await listenSocks({ host: '127.0.0.1', port: 0 }, async () => {
    throw failures[next++];
  });
  const exchange = async (bytes: Buffer, n: number) => {
    const client = await open(socks.address.port);
    client.write(bytes);
    const answer = [...(await read(client, n))];
    await withTimeout(once(client, 'close'));
    return answer;
  };
  assert.deepEqual(await exchange(Buffer.from([5, 1, 2]), 2), [5, 0xff]);
  const hello = Buffer.from([5, 1, 0]);
  const v4 = Buffer.from([127, 0, 0, 1]);
  assert.equal((await exchange(Buffer.concat([hello, request(1, v4, 80, 2)]), 12))[3], SocksReply.commandNotSupported);
  assert.equal((await exchange(Buffer.concat([hello, Buffer.from([5, 1, 0, 9, 0, 0])]), 12))[3], SocksReply.addressTypeNotSupported);
  assert.equal((await exchange(Buffer.concat([hello, request(1, v4, 80)]), 12))[3], SocksReply.notAllowed);
  assert.equal((await exchange(Buffer.concat([hello, request(1, v4, 80)]), 12))[3], SocksReply.connectionRefused);
  assert.equal((await exchange(Buffer.concat([hello, request(1, v4, 80)]), 12))[3], SocksReply.networkUnreachable);
  await socks.close();
});

test('reply code mapping for channel-open failures (RFC 4254 reasons)', () => {
  const err = (reason: number, message: string) => Object.assign(new Error(message), { reason });
  assert.equal(replyCodeFor(err(2, '(SSH) Channel open failure: ')), SocksReply.hostUnreachable);
  assert.equal(replyCodeFor(err(2, 'connect failed: Network is unreachable')), SocksReply.networkUnreachable);
  assert.equal(replyCodeFor(err(2, 'Connection timed out')), SocksReply.ttlExpired);
  assert.equal(replyCodeFor(err(4, 'resource shortage')), SocksReply.generalFailure);
});

test('destroyAll ends every client at once and the listener keeps serving; counters follow', async () => {
  const held = createServer(() => {});
  servers.push(held);
  held.listen(0, '127.0.0.1');
  await once(held, 'listening');
  const port = (held.address() as { port: number }).port;
  let channels = 0;
  let bytesOut = 0;
  const socks = await listenSocks({ host: '127.0.0.1', port: 0 }, async () => {
    const s = connect(port, '127.0.0.1');
    await once(s, 'connect');
    return s;
  }, { onChannel: (d) => (channels += d), onBytes: (dir, n) => (bytesOut += dir === 'out' ? n : 0) });
  const clients = await Promise.all([1, 2, 3].map(async () => {
    const c = await open(socks.address.port);
    c.write(Buffer.concat([Buffer.from([5, 1, 0]), request(1, Buffer.from([127, 0, 0, 1]), port)]));
    await read(c, 12);
    c.write('abc');
    return c;
  }));
  const handshaking = await open(socks.address.port); // still in the greeting: destroyed too
  await withTimeout((async () => { while (channels < 3 || bytesOut < 9) await new Promise((r) => setTimeout(r, 5)); })());
  assert.equal(socks.size, 4);
  const closed = [...clients, handshaking].map((c) => {
    c.resume();
    return once(c, 'close');
  });
  socks.destroyAll();
  await withTimeout(Promise.all(closed), 1000);
  await withTimeout((async () => { while (channels > 0) await new Promise((r) => setTimeout(r, 5)); })());
  const again = await open(socks.address.port);
  again.write(Buffer.from([5, 1, 0]));
  assert.deepEqual([...(await read(again, 2))], [5, 0]);
  again.destroy();
  await socks.close();
});

test('only loopback addresses, a busy port is a clear error, port 0 is ephemeral', async () => {
  const never = async (): Promise<never> => {
    throw new Error('unused');
  };
  for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
    await assert.rejects(listenSocks({ host, port: 0 }, never), (err: unknown) =>
      err instanceof TunnelError && err.kind === 'listen' && /no authentication/.test(err.message));
  }
  const first = await listenSocks({ host: '127.0.0.1', port: 0 }, never);
  assert.ok(first.address.port > 0);
  await assert.rejects(listenSocks({ host: '127.0.0.1', port: first.address.port }, never), (err: unknown) =>
    err instanceof TunnelError && err.kind === 'listen' && err.message === `127.0.0.1:${first.address.port} is already in use ` +
      '(another `ssh -D` or deckhand tunnel?); stop it or choose another port with --listen');
  const v6 = await listenSocks({ host: '::1', port: 0 }, never);
  assert.equal(v6.address.host, '::1');
  await Promise.all([first.close(), v6.close()]);
});
