// A loopback TCP relay between the client and the API server that can go silent without closing anything, the
// way a dead tunnel or a NAT that dropped its state looks to a client: open sockets stop carrying bytes and new
// connections hang. It can also cut every connection, like a server restart.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running relay. */
export interface FreezingProxy {
  port: number;
  /** Stops forwarding on every open connection and holds new ones. */
  freeze(): void;
  /** Forwards again, including what was held. */
  thaw(): void;
  /** Destroys every connection (both sides). */
  cut(): void;
  connections(): number;
  close(): Promise<void>;
}

/** Starts a relay on 127.0.0.1 to `target`. */
export async function startFreezingProxy(target: { host: string; port: number }): Promise<FreezingProxy> {
  let frozen = false;
  const pairs = new Set<[Socket, Socket]>();
  const held: (() => void)[] = [];
  const server: Server = createServer((client) => {
    const open = () => {
      const upstream = connect(target.port, target.host);
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const drop = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      if (frozen) pause(pair);
    };
    client.on('error', () => client.destroy());
    if (frozen) held.push(open);
    else open();
  });
  const pause = ([a, b]: [Socket, Socket]) => {
    a.unpipe(b);
    b.unpipe(a);
    a.pause();
    b.pause();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    freeze: () => {
      frozen = true;
      for (const pair of pairs) pause(pair);
    },
    thaw: () => {
      frozen = false;
      for (const [a, b] of pairs) {
        a.pipe(b);
        b.pipe(a);
      }
      for (const open of held.splice(0)) open();
    },
    cut: () => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    connections: () => pairs.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
