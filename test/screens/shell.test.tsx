// The app shell through the real <App>: header facts, screen keys, the command line, help, filter typing, quit,
// and the terminal-too-small line following a resize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dash, keys } from './harness.js';
import { connectedTunnel, NOW } from './seed.js';

test('the header shows context, profile, badges, tunnel, API freshness and metrics freshness', async () => {
  const d = dash({ session: { production: true, readOnly: true }, tunnel: connectedTunnel });
  const frame = await d.waitFor('prow-md-0-xx8k7');
  const [identity, links, tabs] = frame.split('\n');
  assert.match(identity!, /^deckhand {2}ctx prod-prow {2}profile prod +PRODUCTION +READ-ONLY$/);
  assert.equal(links, 'tunnel ubuntu@203.0.113.10:22 ✓ rtt 12ms │ API v1.31.4 events 0s ago │ metrics 15s ago');
  assert.match(tabs!, /\[1 Nodes\] {2}2 Machines {3}3 Prow jobs {3}4 Prow components {3}5 Runbooks/);
  d.unmount();
});

test('the header says when the tunnel reconnects or failed, and why', async () => {
  const d = dash({ size: { columns: 160, rows: 30 }, tunnel: { ...connectedTunnel, phase: 'reconnecting', attempt: 3, nextAttemptAt: NOW + 4000, lastError: { kind: 'keepalive', message: 'the bastion stopped answering keepalives', at: NOW } } });
  await d.waitFor('tunnel ubuntu@203.0.113.10:22 reconnecting in 4s (attempt 3): the bastion stopped answering keepalives');
  d.stores.shell.getState().actions.setTunnel({ ...connectedTunnel, phase: 'failed', failure: { kind: 'host-key-changed', message: 'host key for 203.0.113.10 changed', at: NOW } });
  await d.waitFor('tunnel ubuntu@203.0.113.10:22 FAILED: host key for 203.0.113.10 changed');
  d.stores.shell.getState().actions.setTunnel(undefined);
  await d.waitFor('proxy socks5h://127.0.0.1:6443 (from kubeconfig)');
  d.stores.shell.getState().actions.setTunnel(connectedTunnel);
  d.stores.store.getState().actions.connecting({ context: 'staging', cluster: 'staging', server: 'https://10.0.0.1:6443', user: 'admin' });
  await d.waitFor("no tunnel (direct); tunnel ubuntu@203.0.113.10:22 connected for the profile's context");
  d.stores.store.getState().actions.connectionFailed({ message: 'dial tcp 10.0.0.1:6443: connect: connection refused', kind: 'unreachable' });
  await d.waitFor('API unreachable: dial tcp 10.0.0.1:6443: connect: connection refused');
  d.unmount();
});

test('1-5 switch screens; the tab bar marks the current one', async () => {
  const d = dash();
  await d.waitFor('[1 Nodes]');
  const expected = [['2', '[2 Machines]', 'Rollouts'], ['3', '[3 Prow jobs]', 'Prow jobs'], ['4', '[4 Prow components]', 'Prow components'], ['5', '[5 Runbooks]', 'Runbooks —'], ['1', '[1 Nodes]', 'Nodes  3']];
  for (const [key, tab, title] of expected) {
    await d.press(key!);
    const frame = await d.waitFor(tab!);
    assert.ok(frame.split('\n')[3]!.startsWith(title!), `${key}: ${frame.split('\n')[3]}`);
  }
  d.unmount();
});

test('keys that arrive in one read all count, each against the state the previous one left', async () => {
  const d = dash();
  await d.waitFor('› prow-md-0-xx8k7');
  await d.type('jj');
  await d.waitFor('› prow-md-0-7vfcd');
  await d.press('3');
  await d.waitFor('[3 Prow jobs]');
  await d.type('\t4');
  await d.waitFor('[4 Prow components]');
  assert.equal(d.stores.shell.getState().views.jobs, 'usage', 'the Tab before the 4 was not lost');
  await d.type(':nodes\r/7vf\r');
  const frame = await d.waitFor('Nodes  1 of 3 · filter "7vf"');
  assert.equal(d.stores.shell.getState().mode, 'normal', 'Enter closed the filter line');
  assert.ok(!frame.includes('prow-md-0-xx8k7'));
  d.unmount();
});

test(': runs commands: screens, :ctx switching through the composition root, errors for unknown input', async () => {
  const switched: string[] = [];
  const d = dash({ onSwitchContext: (name) => switched.push(name) });
  await d.waitFor('[1 Nodes]');
  await d.press(':');
  await d.type('jobs');
  await d.waitFor(':jobs');
  await d.press(keys.enter);
  await d.waitFor('[3 Prow jobs]');
  await d.press(':');
  await d.type('ctx st');
  await d.press(keys.tab);
  await d.waitFor(':ctx staging');
  await d.press(keys.enter);
  await d.waitFor('switching to context staging…');
  assert.deepEqual(switched, ['staging']);
  await d.press(':');
  await d.type('ctx nowhere');
  await d.press(keys.enter);
  await d.waitFor("no context 'nowhere' in the kubeconfig (known: prod-prow, staging)");
  await d.press(':');
  await d.type('frobnicate');
  await d.press(keys.enter);
  await d.waitFor('unknown command :frobnicate');
  await d.press(':');
  await d.type('xy');
  await d.press(keys.backspace, keys.backspace, keys.backspace);
  await d.waitForGone(/^:/m);
  assert.equal(d.stores.shell.getState().mode, 'normal', 'backspace on an empty command line leaves it');
  d.unmount();
});

test('? shows help generated from the key table; Esc and ? close it; keys still switch screens', async () => {
  const d = dash({ size: { columns: 140, rows: 30 } });
  await d.waitFor('[1 Nodes]');
  await d.press('?');
  let frame = await d.waitFor('Help');
  assert.match(frame, /^ {2}↑ k {10}move up/m);
  assert.ok(!frame.includes('Nodes  3'), 'help replaces the screen');
  assert.match(frame, /^ {2}PgUp Ctrl-B {2}one page up {2}\[tables, detail, help\]$/m);
  await d.press(keys.esc);
  await d.waitFor('Nodes  3');
  await d.press('?');
  await d.waitFor('Help');
  await d.press(keys.pageDown);
  frame = await d.waitFor('Runbook view');
  assert.match(frame, /^ {2}R +recover-node for the selected not-ready node \(or its machine\) {2}\[Nodes, Machines, Runbooks\]$/m);
  assert.match(frame, /^ {2}y Enter +confirm the step waiting for you .* {2}\[runbook view\]$/m);
  await d.press('G');
  frame = await d.waitFor(':ctx <name>');
  assert.match(frame, /^ {2}y +trust the bastion's new host key and record it in deckhand's known_hosts {2}\[host key prompt\]$/m);
  await d.press('?');
  await d.waitForGone('Help  ');
  await d.press('?', '4');
  await d.waitFor('[4 Prow components]');
  assert.equal(d.stores.shell.getState().mode, 'normal');
  d.unmount();
});

test('/ filters as you type, Enter keeps the filter, Esc clears it', async () => {
  const d = dash();
  await d.waitFor('prow-md-0-xx8k7');
  await d.press('/');
  await d.type('7vf');
  let frame = await d.waitFor('Nodes  1 of 3 · filter "7vf"');
  assert.ok(frame.includes('prow-md-0-7vfcd') && !frame.includes('prow-md-0-xx8k7'));
  await d.press(keys.backspace, keys.backspace, keys.backspace);
  await d.type('status:unknown');
  await d.press(keys.enter);
  frame = await d.waitFor('Nodes  1 of 3 · filter "status:unknown"');
  assert.ok(frame.includes('prow-md-0-xx8k7') && !frame.includes('prow-md-0-7vfcd'));
  assert.match(frame, /filter "status:unknown" \(\/ to edit, Esc to clear\)/);
  await d.press(keys.esc);
  await d.waitFor('Nodes  3 · 1 not ready');
  await d.press('/');
  await d.type('nothing-matches');
  await d.waitFor('no rows match the filter "nothing-matches"');
  await d.press(keys.esc);
  await d.waitFor('Nodes  3');
  d.unmount();
});

test('q and Ctrl-C quit', async () => {
  for (const key of ['q', keys.ctrlC]) {
    const d = dash();
    await d.waitFor('[1 Nodes]');
    await d.press(key);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(d.quits, 1, JSON.stringify(key));
    d.unmount();
  }
});

test('below 80×24 one line says the terminal is too small; growing it brings the dashboard back', async () => {
  const d = dash({ size: { columns: 79, rows: 30 } });
  let frame = await d.waitFor('terminal too small');
  assert.equal(frame, 'terminal too small: 79×30, deckhand needs at least 80×24 (q quits)');
  d.rerender({ columns: 120, rows: 23 });
  frame = await d.waitFor('120×23');
  d.rerender({ columns: 80, rows: 24 });
  frame = await d.waitFor('[1 Nodes]');
  assert.equal(frame.split('\n').length, 23, 'the root is one row shorter than the terminal');
  assert.ok(frame.split('\n').every((line) => line.length <= 80), 'no line wider than the terminal');
  d.rerender({ columns: 60, rows: 20 });
  await d.waitFor('60×20');
  await d.press('q');
  assert.equal(d.quits, 1, 'q still quits when too small');
  d.unmount();
});
