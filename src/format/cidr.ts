// IPv4/IPv6 addresses and CIDRs for the API load balancer's allowedCIDRs and the bastion's addresses.
// Parsing is strict (no IPv4 leading zeros, no IPv6 zones); output is canonical, IPv6 per RFC 5952.
// @see https://www.rfc-editor.org/rfc/rfc5952 (IPv6 text representation)
// @see https://github.com/kubernetes-sigs/cluster-api-provider-openstack/blob/main/pkg/cloud/services/loadbalancer/loadbalancer.go (getCanonicalAllowedCIDRs)

/** The two IP families, named as Kubernetes names them (`spec.ipFamilies`). */
export type IpFamily = 'IPv4' | 'IPv6';

/** A parsed address: 4 bytes for IPv4, 16 for IPv6, network byte order. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly bytes: readonly number[];
}

/** A parsed CIDR: the address as written (host bits are kept, as Go's net.ParseCIDR accepts them) and its prefix. */
export interface Cidr extends IpAddress {
  readonly prefix: number;
}

/** Thrown for text that is not an IP address or CIDR; the message quotes the input and names the problem. */
export class AddressError extends Error {
  override name = 'AddressError';
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX = /^(0|[1-9]\d{0,2})$/;

/** IPv4 octets, or the reason they are not; leading zeros are refused because they read as octal elsewhere. */
function ipv4Octets(text: string): number[] | string {
  const match = IPV4.exec(text);
  if (match === null) return 'expected four decimal numbers separated by dots';
  const octets = match.slice(1).map((part) => ({ part, value: Number(part) }));
  const zeroPadded = octets.find(({ part }) => part.length > 1 && part.startsWith('0'));
  if (zeroPadded) return `octet ${zeroPadded.part} has a leading zero`;
  const tooBig = octets.find(({ value }) => value > 255);
  return tooBig ? `octet ${tooBig.part} is above 255` : octets.map(({ value }) => value);
}

/** One side of an IPv6 "::" as 16-bit groups; only the final group of the address may be dotted IPv4. */
function ipv6Groups(side: string, mayEndInIpv4: boolean): number[] | string {
  if (side === '') return [];
  const parts = side.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (mayEndInIpv4 && index === parts.length - 1 && part.includes('.')) {
      const octets = ipv4Octets(part);
      if (typeof octets === 'string') return `embedded IPv4 ${JSON.stringify(part)}: ${octets}`;
      groups.push(((octets[0] ?? 0) << 8) | (octets[1] ?? 0), ((octets[2] ?? 0) << 8) | (octets[3] ?? 0));
    } else if (HEX_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return `group ${JSON.stringify(part)} is not 1–4 hex digits`;
    }
  }
  return groups;
}

/** IPv6 bytes, or the reason they are not. */
function ipv6Bytes(text: string): number[] | string {
  if (text.includes('%')) return 'zones (%eth0) are not accepted';
  const sides = text.split('::');
  if (sides.length > 2) return '"::" may appear only once';
  const [head = '', tail] = sides;
  const front = ipv6Groups(head, tail === undefined);
  const back = ipv6Groups(tail ?? '', true);
  if (typeof front === 'string') return front;
  if (typeof back === 'string') return back;
  const given = front.length + back.length;
  if (tail === undefined ? given !== 8 : given > 7) return `expected 8 groups of hex digits, found ${given}`;
  const groups = [...front, ...new Array<number>(8 - given).fill(0), ...back];
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

/** Parses an IPv4 or IPv6 address, throwing e.g. `"300.1.2.3" is not an IPv4 address (octet 300 is above 255)`. */
export function parseIp(text: string): IpAddress {
  const family: IpFamily = text.includes(':') ? 'IPv6' : 'IPv4';
  const bytes = family === 'IPv6' ? ipv6Bytes(text) : ipv4Octets(text);
  if (typeof bytes === 'string') {
    const what = family === 'IPv6' || /^[\d.]+$/.test(text) ? `an ${family}` : 'an IP';
    throw new AddressError(`${JSON.stringify(text)} is not ${what} address (${bytes})`);
  }
  return { family, bytes };
}

/** True when `text` is a valid IPv4 or IPv6 address (bare, without a prefix). */
export function isIp(text: string): boolean {
  try {
    parseIp(text);
    return true;
  } catch {
    return false;
  }
}

/** True for ::ffff:0:0/96, the IPv4-mapped block that RFC 5952 §5 writes with a dotted tail. */
function isMappedIpv4(bytes: readonly number[]): boolean {
  return bytes.length === 16 && bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run (≥2) of zero groups as "::", mapped IPv4 dotted. */
export function formatIp(address: IpAddress): string {
  const { bytes } = address;
  if (address.family === 'IPv4') return bytes.join('.');
  if (isMappedIpv4(bytes)) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - start > best.length) best = { start, length: end - start };
    start = Math.max(end, start + 1);
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** Canonical text of an address: `"2001:DB8:0:0:0:0:0:1"` → `"2001:db8::1"`. */
export function canonicalIp(text: string): string {
  return formatIp(parseIp(text));
}

/** Parses `address/prefix`, checking the prefix against the family (0–32 or 0–128). */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  if (slash < 0) throw new AddressError(`${JSON.stringify(text)} is not a CIDR (expected address/prefix, e.g. 10.6.0.0/24)`);
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  const limit = address.family === 'IPv4' ? 32 : 128;
  if (!PREFIX.test(prefixText) || Number(prefixText) > limit) {
    throw new AddressError(
      `${JSON.stringify(text)} is not an ${address.family} CIDR (prefix ${JSON.stringify(prefixText)} is not 0–${limit})`,
    );
  }
  return { ...address, prefix: Number(prefixText) };
}

/** Canonical `address/prefix` text for a parsed CIDR (host bits kept). */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr)}/${cidr.prefix}`;
}

/** The single-host CIDR for an address: `"10.6.0.5"` → `"10.6.0.5/32"`, `"2001:db8::1"` → `"2001:db8::1/128"`. */
export function hostCidr(ip: string): string {
  const address = parseIp(ip);
  return formatCidr({ ...address, prefix: address.bytes.length * 8 });
}

/** A bare IP becomes its host CIDR and a CIDR becomes canonical, as CAPO turns bare allowedCIDRs entries into /32. */
export function toCidr(ipOrCidr: string): string {
  return ipOrCidr.includes('/') ? formatCidr(parseCidr(ipOrCidr)) : hostCidr(ipOrCidr);
}

/** The byte at index `i` with the bits beyond `prefix` cleared. */
function maskedByte(byte: number, i: number, prefix: number): number {
  const keep = Math.max(0, Math.min(8, prefix - i * 8));
  return byte & ((0xff << (8 - keep)) & 0xff);
}

/** Whether the first `prefix` bits of two byte lists of one family agree. */
function samePrefix(a: readonly number[], b: readonly number[], prefix: number): boolean {
  return a.every((byte, i) => maskedByte(byte, i, prefix) === maskedByte(b[i] ?? 0, i, prefix));
}

/** True when `ip` lies inside `cidr`; addresses of the other family are never inside. */
export function cidrContains(cidr: string, ip: string): boolean {
  const network = parseCidr(cidr);
  const address = parseIp(ip);
  return network.family === address.family && samePrefix(network.bytes, address.bytes, network.prefix);
}

/** True when the address part has bits set beyond the prefix (`"10.6.0.5/24"`), which Go and CAPO accept. */
export function hasHostBits(cidr: string): boolean {
  const { bytes, prefix } = parseCidr(cidr);
  return bytes.some((byte, i) => byte !== maskedByte(byte, i, prefix));
}

/** True for 127.0.0.0/8 (also IPv4-mapped, as Go's IP.IsLoopback) and ::1. */
export function isLoopback(ip: string): boolean {
  const { family, bytes } = parseIp(ip);
  if (family === 'IPv4') return bytes[0] === 127;
  if (isMappedIpv4(bytes)) return bytes[12] === 127;
  return bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1;
}

/**
 * An allowlist as CAPO compares it: bare IPs become host CIDRs, then sorted and de-duplicated; entries CAPO
 * would drop with a FailedIPAddressValidation event are returned in `invalid` instead of being lost silently.
 * @see https://github.com/kubernetes-sigs/cluster-api-provider-openstack/blob/main/pkg/cloud/services/loadbalancer/loadbalancer.go (getCanonicalAllowedCIDRs)
 */
export function normalizeCidrList(entries: readonly string[]): { cidrs: string[]; invalid: string[] } {
  const cidrs = new Set<string>();
  const invalid: string[] = [];
  for (const entry of entries) {
    try {
      cidrs.add(toCidr(entry));
    } catch {
      invalid.push(entry);
    }
  }
  return { cidrs: [...cidrs].sort(), invalid };
}
