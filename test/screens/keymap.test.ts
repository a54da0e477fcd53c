// The key table is the single source of keys: no key means two things in one place, read-only drops exactly the
// mutating entries, and the help text and footer are generated from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeCommand } from '../../src/screens/shell/input-line.js';
import { findCommand, lineCommands, runCommandLine, type CommandOps } from '../../src/screens/commands.js';
import { applies, bindingsFor, keyLabel, keymap, keyName, keyPresses, modalPlaces, resolveKey, screenIds, type InkKey, type Place } from '../../src/screens/keymap.js';
import { footerItems } from '../../src/screens/shell/footer.js';
import { helpLines } from '../../src/screens/shell/help.js';

const places: Place[] = [...screenIds, 'detail', 'help', 'runbook', ...modalPlaces];
const noKey: InkKey = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, tab: false, backspace: false, delete: false, ctrl: false, shift: false,
};

test('no key resolves to two commands in the same place', () => {
  for (const place of places) {
    for (const readOnly of [false, true]) {
      const seen = new Map<string, string>();
      for (const b of bindingsFor({ place, readOnly })) {
        for (const key of b.keys) {
          assert.equal(seen.get(key), undefined, `${key} in ${place} is both ${seen.get(key)} and ${b.command}`);
          seen.set(key, b.command);
        }
      }
    }
  }
});

test('the issue\'s keys resolve where they should', () => {
  const on = (place: Place, key: string, readOnly = false) => resolveKey(key, { place, readOnly });
  assert.deepEqual(screenIds.map((_, i) => on('nodes', String(i + 1))), screenIds.map((id) => `screen.${id}`));
  assert.equal(on('jobs', 'tab'), 'jobs.toggle-view');
  assert.equal(on('machines', 'tab'), 'machines.toggle-focus');
  assert.equal(on('nodes', 'tab'), undefined);
  for (const [key, command] of [['/', 'filter'], ['s', 'sort.next'], ['S', 'sort.reverse'], ['enter', 'open'], ['j', 'move.down'], ['k', 'move.up'],
    ['down', 'move.down'], ['up', 'move.up'], ['pageup', 'move.page-up'], ['pagedown', 'move.page-down'], ['g', 'move.top'], ['G', 'move.bottom'],
    ['esc', 'back'], ['q', 'quit'], ['ctrl+c', 'quit'], ['?', 'help'], [':', 'command-line']] as const) {
    assert.equal(on('nodes', key), command, key);
  }
  assert.equal(on('nodes', 'R'), 'runbook.recover-node');
  assert.equal(on('machines', 'R'), 'runbook.recover-node');
  assert.equal(on('machines', '+'), 'runbook.scale-up');
  assert.equal(on('machines', '-'), 'runbook.scale-down');
  assert.equal(on('runbooks', 'B'), 'runbook.bastion-swap');
  assert.equal(on('nodes', 'B'), undefined, 'B only on the Runbooks screen');
  assert.equal(on('detail', 's'), undefined, 'no sorting in a detail pane');
  assert.equal(on('detail', 'j'), 'move.down', 'detail panes scroll');
});

test('read-only mode drops every mutating key and nothing else', () => {
  const mutating = keymap.filter((b) => b.mutating).map((b) => b.command);
  assert.deepEqual(mutating.sort(), [
    'name.submit', 'resume.cleanup', 'resume.discard', 'resume.resume', 'run.abort', 'run.acknowledge', 'run.confirm', 'run.retry', 'run.rollback', 'run.skip',
    'runbook.bastion-swap', 'runbook.recover-node', 'runbook.scale-down', 'runbook.scale-up',
  ]);
  for (const key of ['y', 'a', 's', 'r', 'b', 'x']) assert.equal(resolveKey(key, { place: 'runbook', readOnly: true }), undefined, `${key} drives a run`);
  assert.equal(resolveKey('esc', { place: 'runbook', readOnly: true }), 'run.leave', 'leaving the view is no change');
  for (const place of places) {
    const normal = bindingsFor({ place, readOnly: false }).map((b) => b.command);
    const readOnly = bindingsFor({ place, readOnly: true }).map((b) => b.command);
    assert.deepEqual(readOnly, normal.filter((c) => !mutating.includes(c)), place);
  }
  for (const key of ['R', '+', '-', 'B']) for (const place of places) assert.equal(resolveKey(key, { place, readOnly: true }), undefined);
  assert.ok(!footerItems('runbooks', true).some((i) => ['R', '+/-', 'B'].includes(i.keys)));
  assert.ok(footerItems('runbooks', false).some((i) => i.keys === 'B'));
});

test('Ink key presses map to the table\'s key names', () => {
  assert.equal(keyName('j', noKey), 'j');
  assert.equal(keyName('G', { ...noKey, shift: true }), 'G');
  assert.equal(keyName('', { ...noKey, upArrow: true }), 'up');
  assert.equal(keyName('', { ...noKey, pageDown: true }), 'pagedown');
  assert.equal(keyName('', { ...noKey, return: true }), 'enter');
  assert.equal(keyName('', { ...noKey, escape: true }), 'esc');
  assert.equal(keyName('', { ...noKey, delete: true }), 'backspace', 'terminals send DEL for backspace');
  assert.equal(keyName('c', { ...noKey, ctrl: true }), 'ctrl+c');
  assert.equal(keyName('', { ...noKey, tab: true, shift: true }), 'shift+tab');
  const names = (input: string, key = noKey) => keyPresses(input, key).map((p) => p.name);
  assert.deepEqual(names('jj'), ['j', 'j'], 'two presses in one read');
  assert.deepEqual(names('\t4'), ['tab', '4']);
  assert.deepEqual(names(':ctx a\r'), [':', 'c', 't', 'x', ' ', 'a', 'enter']);
  assert.deepEqual(names('', { ...noKey, upArrow: true }), ['up']);
  assert.equal(keyLabel('ctrl+c'), 'Ctrl-C');
  assert.equal(keyLabel('pageup'), 'PgUp');
});

test('help lists every binding\'s keys and description, without the mutating ones in read-only mode', () => {
  const text = helpLines(false).map((l) => l.text).join('\n');
  for (const b of keymap) {
    assert.ok(text.includes(b.description), b.command);
    assert.ok(text.includes(b.keys.map(keyLabel).join(' ')), b.command);
  }
  for (const c of lineCommands) assert.ok(text.includes(`:${c.name}`));
  const readOnly = helpLines(true).map((l) => l.text).join('\n');
  for (const b of keymap.filter((x) => x.mutating)) assert.ok(!readOnly.includes(b.description), b.command);
  assert.ok(readOnly.includes('Read-only'));
});

test('the footer shows only what works in a place, general keys first', () => {
  const nodes = footerItems('nodes', false).map((i) => i.keys);
  assert.deepEqual(nodes.slice(0, 3), ['Esc', '?', 'q']);
  assert.ok(nodes.includes('R') && nodes.includes('/') && !nodes.includes('B') && !nodes.includes('Tab'));
  assert.ok(footerItems('detail', false).every((i) => !['s/S', '/', 'R', 'Enter'].includes(i.keys)));
  assert.ok(applies(keymap.find((b) => b.command === 'quit')!, { place: 'help', readOnly: true }));
});

test('command lines: screens, aliases, :ctx with and without a name, unknown commands', () => {
  const calls: string[] = [];
  const ops: CommandOps = {
    goto: (s) => calls.push(`goto ${s}`), switchContext: (n) => calls.push(`ctx ${n}`), contexts: () => ['prod', 'staging'],
    currentContext: () => 'prod', help: () => calls.push('help'), quit: () => calls.push('quit'), flash: (l, t) => calls.push(`${l}: ${t}`),
  };
  for (const line of ['nodes', ' jobs ', 'pj', 'machines', 'components', 'runbooks', 'ctx staging', 'ctx prod', 'ctx nope', 'ctx', 'help', 'q', 'bogus', '']) runCommandLine(line, ops);
  assert.deepEqual(calls, [
    'goto nodes', 'goto jobs', 'goto jobs', 'goto machines', 'goto components', 'goto runbooks', 'ctx staging',
    'info: already on context prod', "error: no context 'nope' in the kubeconfig (known: prod, staging)", 'info: contexts: prod (current), staging',
    'help', 'quit', `error: unknown command :bogus (try ${lineCommands.map((c) => `:${c.name}`).join(' ')})`,
  ]);
  assert.equal(findCommand('NODES')?.name, 'nodes');
});

test('Tab completes command names and contexts', () => {
  assert.equal(completeCommand('ma', []), 'machines');
  assert.equal(completeCommand('c', []), 'c', 'ctx and components are both possible');
  assert.equal(completeCommand('ct', []), 'ctx ');
  assert.equal(completeCommand('ctx st', ['prod', 'staging']), 'ctx staging');
  assert.equal(completeCommand('ctx ', ['prod', 'staging']), 'ctx ');
});

test('the runbook view and the prompts: their own keys, Esc leaves or refuses, and a prompt takes every key but Ctrl-C', () => {
  const on = (place: Place, key: string) => resolveKey(key, { place, readOnly: false });
  for (const [key, command] of [['y', 'run.confirm'], ['enter', 'run.confirm'], ['a', 'run.acknowledge'], ['s', 'run.skip'], ['r', 'run.retry'],
    ['b', 'run.rollback'], ['x', 'run.abort'], ['c', 'run.clear'], ['esc', 'run.leave'], ['2', 'screen.machines'], ['?', 'help'], ['q', 'quit']] as const) {
    assert.equal(on('runbook', key), command, key);
  }
  assert.equal(on('runbook', 'j'), undefined, 'no table under the runbook view');
  assert.equal(on('machines', 'o'), 'runbook.open');
  assert.equal(on('runbook', 'o'), undefined, 'already there');
  assert.equal(on('host-key', 'y'), 'host-key.trust');
  assert.equal(on('host-key', 'n'), 'host-key.refuse');
  assert.equal(on('host-key', 'esc'), 'host-key.refuse', 'Esc never trusts');
  assert.equal(on('passphrase', 'enter'), 'passphrase.submit');
  assert.equal(on('resume', 'r'), 'resume.resume');
  assert.equal(on('resume', 'c'), 'resume.cleanup');
  assert.equal(on('resume', 'd'), 'resume.discard');
  assert.equal(on('resume', 'esc'), 'resume.later');
  assert.equal(on('type-name', 'enter'), 'name.submit');
  for (const place of modalPlaces) {
    for (const key of ['1', '5', 'q', '?', ':', 'j']) assert.equal(on(place, key), undefined, `${key} does nothing in ${place}`);
    assert.equal(on(place, 'ctrl+c'), 'quit', `Ctrl-C quits from ${place}`);
  }
});
