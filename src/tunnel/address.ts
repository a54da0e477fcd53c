// Parsing and printing of the addresses the tunnel deals with: `[user@]host[:port]` for the bastion (as ssh(1)
// takes it, plus the `[v6]:port` form), `host:port` for the SOCKS listener, and the loopback test for the latter.
import { isIPv4, isIPv6 } from 'node:net';
import type { BastionAddress, ListenAddress } from './types.js';

/** The runbook wiki's `ssh -N -D 127.0.0.1:6443`, so existing kubeconfigs keep working. */
export const defaultListen: ListenAddress = { host: '127.0.0.1', port: 6443 };

/** A malformed address given on the command line or in a profile. */
export class AddressError extends Error {
  override name = 'AddressError';
}

/** Parses `[user@]host[:port]`, `[user@][v6addr]:port` or a bare IPv6 address. */
export function parseBastionAddress(text: string): BastionAddress {
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  if (user !== undefined && user.length === 0) throw new AddressError(`empty user name in '${text}'`);
  const { host, port } = splitHostPort(at >= 0 ? text.slice(at + 1) : text, text);
  return { host, ...(port !== undefined ? { port } : {}), ...(user !== undefined ? { user } : {}) };
}

/** Parses `host:port`, `[v6]:port`, a bare `port` (on 127.0.0.1) or a bare host (port 6443). */
export function parseListenAddress(text: string): ListenAddress {
  if (/^\d+$/.test(text)) return { host: defaultListen.host, port: parsePort(text, text) };
  const { host, port } = splitHostPort(text, text);
  return { host, port: port ?? defaultListen.port };
}

function splitHostPort(text: string, whole: string): { host: string; port?: number } {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw new AddressError(`missing ']' in '${whole}'`);
    const host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest === '') return { host };
    if (!rest.startsWith(':')) throw new AddressError(`unexpected '${rest}' after ']' in '${whole}'`);
    return { host, port: parsePort(rest.slice(1), whole) };
  }
  if (isIPv6(text)) return { host: text };
  const colon = text.lastIndexOf(':');
  if (colon < 0) {
    if (text === '') throw new AddressError(`empty host in '${whole}'`);
    return { host: text };
  }
  const host = text.slice(0, colon);
  if (host === '') throw new AddressError(`empty host in '${whole}'`);
  return { host, port: parsePort(text.slice(colon + 1), whole) };
}

/** A TCP port 0–65535 from text; 0 is allowed (ephemeral) and rejected later where it makes no sense. */
export function parsePort(text: string, whole = text): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new AddressError(`invalid port '${text}' in '${whole}'`);
  return Number(text);
}

/**
 * Whether `host` is a loopback address: 127.0.0.0/8, ::1 or an IPv4-mapped 127.x, and `localhost` by name.
 * A SOCKS proxy without authentication on any other address would let the network borrow the operator's bastion.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return mapped[1]!.startsWith('127.');
  return expandIPv6(h) === '0000:0000:0000:0000:0000:0000:0000:0001';
}

function expandIPv6(ip: string): string {
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const fill = ip.includes('::') ? Array(8 - left.length - right.length).fill('0') : [];
  return [...left, ...fill, ...right].map((g) => g.padStart(4, '0')).join(':');
}

/** `host:port`, bracketing IPv6 literals. */
export function formatHostPort(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/**
 * The proxy URL for deckhand's own Kubernetes client and generated kubeconfigs: `socks5h`, so API hostnames are
 * resolved behind the bastion (socks-proxy-agent resolves locally for plain `socks5`; libraries.md §1.1).
 */
export function proxyUrl(listen: ListenAddress): string {
  return `socks5h://${formatHostPort(listen.host, listen.port)}`;
}
