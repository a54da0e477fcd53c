// SOCKS5 wire format (RFC 1928): parsing a CONNECT request from a buffer that may still be incomplete, the reply
// bytes, and the mapping from SSH channel-open failures (RFC 4254 §5.1 reason codes) to SOCKS reply codes.
// @see https://www.rfc-editor.org/rfc/rfc1928

/** A CONNECT request as received: the target (a name is passed on unresolved) and who asked. */
export interface SocksRequest {
  host: string;
  port: number;
  /** RFC 1928 address type: 1 IPv4, 3 domain name, 4 IPv6. */
  addressType: 1 | 3 | 4;
  clientAddress: string;
  clientPort: number;
}

/** SOCKS5 reply codes (RFC 1928 §6). */
export const SocksReply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  ttlExpired: 0x06,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

/**
 * Maps a failed channel open to a reply: RFC 4254 reason 1 (administratively prohibited, e.g. `PermitOpen`) → not
 * allowed; 2 (connect failed) → refused / unreachable by the server's description; no SSH connection → network
 * unreachable (the path to the cluster is down); anything else → general failure.
 */
export function replyCodeFor(err: unknown): number {
  const reason = (err as { reason?: unknown }).reason;
  const message = err instanceof Error ? err.message : String(err);
  if (reason === 1) return SocksReply.notAllowed;
  if (reason === 2) {
    if (/refused/i.test(message)) return SocksReply.connectionRefused;
    if (/network is unreachable/i.test(message)) return SocksReply.networkUnreachable;
    if (/timed? ?out/i.test(message)) return SocksReply.ttlExpired;
    return SocksReply.hostUnreachable;
  }
  if (/not connected|no ssh connection/i.test(message)) return SocksReply.networkUnreachable;
  return SocksReply.generalFailure;
}

/** The reply bytes for a code; BND.ADDR/PORT are zero, as OpenSSH's own -D replies (clients ignore them for CONNECT). */
export function reply(code: number): Buffer {
  return Buffer.from([0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}

/** A complete request: the target and how many bytes it took. */
export type ParsedRequest = { target: Pick<SocksRequest, 'host' | 'port' | 'addressType'>; length: number };

/** Parses a complete request from the buffer, or says it is incomplete, or returns the reply code for a bad one. */
export function parseRequest(b: Buffer): ParsedRequest | 'incomplete' | number {
  if (b.length < 5) return 'incomplete';
  if (b[0] !== 0x05) return SocksReply.generalFailure;
  const command = b[1]!;
  const addressType = b[3]!;
  let host: string;
  let offset: number;
  if (addressType === 1) {
    if (b.length < 4 + 4 + 2) return 'incomplete';
    host = [...b.subarray(4, 8)].join('.');
    offset = 8;
  } else if (addressType === 3) {
    const length = b[4]!;
    if (b.length < 5 + length + 2) return 'incomplete';
    host = b.subarray(5, 5 + length).toString('latin1');
    offset = 5 + length;
    if (length === 0) return SocksReply.hostUnreachable;
  } else if (addressType === 4) {
    if (b.length < 4 + 16 + 2) return 'incomplete';
    const groups = [];
    for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(4 + i * 2).toString(16));
    // The WHATWG URL parser prints IPv6 in RFC 5952 canonical form (zero runs compressed), e.g. `::1`.
    host = new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
    offset = 20;
  } else {
    return SocksReply.addressTypeNotSupported;
  }
  // CONNECT only: BIND and UDP ASSOCIATE make no sense through one SSH direct-tcpip channel.
  if (command !== 0x01) return SocksReply.commandNotSupported;
  return { target: { host, port: b.readUInt16BE(offset), addressType }, length: offset + 2 };
}

