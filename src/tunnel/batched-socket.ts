// Writes gathered per turn of the event loop. ssh2 hands every SSH packet to `socket.write` on its own
// (lib/client.js `onWrite`), so 200 channels opening, sending a request, adjusting windows and closing cost one
// send(2) and one TCP segment each, and sshd wakes up for each; likewise a 64 KiB response reaches the SOCKS client
// as two or three 32 KiB channel packets, each its own write. OpenSSH gathers its output and writes it once per turn
// of its poll loop (packet.c ssh_packet_write_poll, channels.c channel_handle_wfd); batchWrites does the same: the
// first write in a turn corks the socket and the check phase uncorks it, so everything written while the poll phase
// handled its ready sockets leaves in one writev(2).
import { connect, type Socket } from 'node:net';

/**
 * Makes `socket` batch the writes of one event-loop turn. Call it after connect(): net.Socket.prototype.connect
 * resets a `write` that differs from its own (lib/net.js, undoing writeAfterFIN), so a subclass override or an
 * earlier wrapper would silently be dropped.
 */
export function batchWrites(socket: Socket): Socket {
  // Nagle would hold back the tail of a batch until the previous segment is acknowledged; the batching already
  // fills segments (OpenSSH sets TCP_NODELAY on the sockets it forwards for: channels.c, misc.c set_nodelay).
  socket.setNoDelay(true);
  const write = socket.write;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    socket.uncork();
  };
  socket.write = function batched(this: Socket, ...args: unknown[]): boolean {
    if (!scheduled) {
      scheduled = true;
      socket.cork();
      setImmediate(flush);
    }
    return (write as (...a: unknown[]) => boolean).apply(socket, args);
  } as Socket['write'];
  return socket;
}

/** Connects a TCP socket whose writes are batched per event-loop turn. */
export function connectBatched(host: string, port: number): Socket {
  return batchWrites(connect({ host, port }));
}
