import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddressError,
  canonicalIp,
  cidrContains,
  formatCidr,
  hasHostBits,
  hostCidr,
  isIp,
  isLoopback,
  normalizeCidrList,
  parseCidr,
  parseIp,
  toCidr,
} from '../../src/format/cidr.js';

test('parseIp returns the family and network-order bytes', () => {
  assert.deepEqual(parseIp('10.6.0.5'), { family: 'IPv4', bytes: [10, 6, 0, 5] });
  assert.deepEqual(parseIp('::1'), { family: 'IPv6', bytes: [...new Array<number>(15).fill(0), 1] });
  assert.deepEqual(parseIp('2001:db8::ff00:42:8329').bytes, [
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29,
  ]);
});

test('canonicalIp writes IPv6 per RFC 5952', () => {
  const cases: [string, string][] = [
    ['192.168.1.1', '192.168.1.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8::0:1', '2001:db8::1'],
    // §4.2.2: a single zero group is not shortened.
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    // §4.2.3: the longest run is shortened; on a tie, the first.
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1::', '1::'],
    // §5: IPv4-mapped addresses keep a dotted tail.
    ['::FFFF:c000:0201', '::ffff:192.0.2.1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ];
  for (const [input, expected] of cases) assert.equal(canonicalIp(input), expected, input);
});

test('invalid addresses throw AddressError naming the family and the problem', () => {
  const cases: [string, RegExp][] = [
    ['300.1.2.3', /^"300\.1\.2\.3" is not an IPv4 address \(octet 300 is above 255\)$/],
    ['1.2.3', /^"1\.2\.3" is not an IPv4 address/],
    ['010.1.1.1', /^"010\.1\.1\.1" is not an IPv4 address \(octet 010 has a leading zero\)$/],
    ['foo', /^"foo" is not an IP address/],
    ['', /^"" is not an IP address/],
    ['1::2::3', /^"1::2::3" is not an IPv6 address \("::" may appear only once\)$/],
    ['fe80::1%eth0', /is not an IPv6 address \(zones/],
    ['12345::', /group "12345" is not 1–4 hex digits/],
    ['1:2:3:4:5:6:7:8:9', /expected 8 groups of hex digits, found 9/],
    ['1:2:3:4:5:6:7::8', /expected 8 groups of hex digits, found 8/],
    ['1:2:3', /expected 8 groups of hex digits, found 3/],
    ['::ffff:300.1.2.3', /embedded IPv4 "300\.1\.2\.3": octet 300 is above 255/],
    ['1.2.3.4::', /is not an IPv6 address/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseIp(input), (error: unknown) => {
      assert.ok(error instanceof AddressError, input);
      assert.match(error.message, message, input);
      return true;
    });
  }
});

test('isIp accepts bare addresses only', () => {
  const cases: [string, boolean][] = [
    ['10.6.0.5', true],
    ['2001:db8::1', true],
    ['10.6.0.0/24', false],
    ['example.com', false],
  ];
  for (const [input, expected] of cases) assert.equal(isIp(input), expected, input);
});

test('parseCidr checks the prefix against the family', () => {
  assert.deepEqual(parseCidr('10.6.0.0/24'), { family: 'IPv4', bytes: [10, 6, 0, 0], prefix: 24 });
  assert.equal(formatCidr(parseCidr('2001:DB8::/32')), '2001:db8::/32');
  const cases: [string, RegExp][] = [
    ['10.6.0.0', /^"10\.6\.0\.0" is not a CIDR \(expected address\/prefix/],
    ['10.0.0.0/33', /^"10\.0\.0\.0\/33" is not an IPv4 CIDR \(prefix "33" is not 0–32\)$/],
    ['10.0.0.0/08', /prefix "08" is not 0–32/],
    ['10.0.0.0/', /prefix "" is not 0–32/],
    ['10.0.0.0/24/1', /prefix "24\/1" is not 0–32/],
    ['::/129', /is not an IPv6 CIDR \(prefix "129" is not 0–128\)/],
    ['300.0.0.0/8', /"300\.0\.0\.0" is not an IPv4 address/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseCidr(input), (error: unknown) => {
      assert.ok(error instanceof AddressError, input);
      assert.match(error.message, message, input);
      return true;
    });
  }
});

test('hostCidr and toCidr turn bare IPs into /32 or /128, as CAPO does for allowedCIDRs', () => {
  assert.equal(hostCidr('10.6.0.5'), '10.6.0.5/32');
  assert.equal(hostCidr('2001:DB8::1'), '2001:db8::1/128');
  assert.throws(() => hostCidr('10.6.0.0/24'), AddressError);
  const cases: [string, string][] = [
    ['10.6.0.5', '10.6.0.5/32'],
    ['10.6.0.0/24', '10.6.0.0/24'],
    // Host bits are kept, as net.ParseCIDR and CAPO accept them.
    ['10.6.0.5/24', '10.6.0.5/24'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['::1', '::1/128'],
  ];
  for (const [input, expected] of cases) assert.equal(toCidr(input), expected, input);
});

test('cidrContains compares the prefix bits of one family', () => {
  const cases: [string, string, boolean][] = [
    ['10.6.0.0/24', '10.6.0.77', true],
    ['10.6.0.0/24', '10.6.1.1', false],
    ['10.6.0.5/24', '10.6.0.200', true],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['10.0.0.0/9', '10.127.255.255', true],
    ['10.0.0.0/9', '10.128.0.0', false],
    ['1.2.3.4/32', '1.2.3.4', true],
    ['1.2.3.4/32', '1.2.3.5', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::/0', '::1', true],
    ['10.6.0.0/24', '::ffff:10.6.0.1', false],
  ];
  for (const [cidr, ip, expected] of cases) assert.equal(cidrContains(cidr, ip), expected, `${cidr} ∋ ${ip}`);
});

test('hasHostBits spots addresses that are not the network address', () => {
  const cases: [string, boolean][] = [
    ['10.6.0.5/24', true],
    ['10.6.0.0/24', false],
    ['10.6.0.128/25', false],
    ['10.6.0.129/25', true],
    ['0.0.0.0/0', false],
    ['2001:db8::1/64', true],
    ['2001:db8::/64', false],
  ];
  for (const [input, expected] of cases) assert.equal(hasHostBits(input), expected, input);
});

test('isLoopback covers 127.0.0.0/8 and ::1', () => {
  const cases: [string, boolean][] = [
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['::1', true],
    ['::2', false],
    ['::', false],
    ['::ffff:127.0.0.1', true],
  ];
  for (const [input, expected] of cases) assert.equal(isLoopback(input), expected, input);
  assert.throws(() => isLoopback('localhost'), AddressError);
});

test('normalizeCidrList sorts and de-duplicates like CAPO, and reports what CAPO would drop', () => {
  assert.deepEqual(normalizeCidrList(['10.6.0.0/24', '203.0.113.9', '203.0.113.9/32', 'bad', '10.6.0.0/24']), {
    cidrs: ['10.6.0.0/24', '203.0.113.9/32'],
    invalid: ['bad'],
  });
  // Plain string order, as Go's sort.Strings.
  assert.deepEqual(normalizeCidrList(['9.9.9.9', '10.0.0.0/8']).cidrs, ['10.0.0.0/8', '9.9.9.9/32']);
  assert.deepEqual(normalizeCidrList([]), { cidrs: [], invalid: [] });
});
