// Address parsing for --bastion and --listen, and the loopback rule for the SOCKS listener.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AddressError, isLoopbackHost, parseBastionAddress, parseListenAddress, proxyUrl } from '../../src/tunnel/address.js';

test('bastion addresses: [user@]host[:port], bracketed and bare IPv6', () => {
  const cases: Array<[string, object]> = [
    ['203.0.113.10', { host: '203.0.113.10' }],
    ['ubuntu@203.0.113.10', { host: '203.0.113.10', user: 'ubuntu' }],
    ['ubuntu@bastion.example:2222', { host: 'bastion.example', port: 2222, user: 'ubuntu' }],
    ['ubuntu@[2001:db8::5]:22', { host: '2001:db8::5', port: 22, user: 'ubuntu' }],
    ['2001:db8::5', { host: '2001:db8::5' }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseBastionAddress(text), expected, text);
  for (const bad of ['@host', 'host:', 'host:99999', '[::1', 'u@']) assert.throws(() => parseBastionAddress(bad), AddressError, bad);
});

test('listen addresses: host:port, [v6]:port, a bare port, port 0', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:6443'), { host: '127.0.0.1', port: 6443 });
  assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseListenAddress('7000'), { host: '127.0.0.1', port: 7000 });
  assert.deepEqual(parseListenAddress('localhost'), { host: 'localhost', port: 6443 });
});

test('loopback: all of 127/8, ::1 in any spelling, mapped 127.x, localhost; nothing else', () => {
  for (const h of ['127.0.0.1', '127.6.5.4', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1', 'example.com', '::2']) assert.ok(!isLoopbackHost(h), h);
});

test('proxy URLs are socks5h so API names resolve behind the bastion', () => {
  assert.equal(proxyUrl({ host: '127.0.0.1', port: 6443 }), 'socks5h://127.0.0.1:6443');
  assert.equal(proxyUrl({ host: '::1', port: 1080 }), 'socks5h://[::1]:1080');
});
