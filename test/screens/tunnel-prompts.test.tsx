// The tunnel's questions answered inside the dashboard, against a real ssh2 bastion (src/sim/bastion.ts): an
// unknown host key is shown with its SHA256 fingerprint and recorded in known_hosts only on `y` (`n` and Esc refuse,
// and nothing is written); an encrypted identity's passphrase is typed at a masked prompt (letters are text there,
// not commands) and unlocks the key, Esc skips it. The hooks are the ones the composition root gives the tunnel.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBastion, type Bastion } from '../../src/sim/bastion.js';
import { createPromptStore } from '../../src/store/prompt-store.js';
import { tunnelPromptHooks } from '../../src/store/tunnel-prompts.js';
import type { Tunnel } from '../../src/tunnel/manager.js';
import { makeTunnel, tempDir, withTimeout } from '../tunnel/harness.js';
import { dash, keys } from './harness.js';

const passphrase = 'q2 correct horse';

describe('tunnel prompts in the dashboard', () => {
  const { dir, cleanup } = tempDir('prompts');
  const plainKey = join(dir, 'id_plain');
  const lockedKey = join(dir, 'id_locked');
  const knownHosts = join(dir, 'known_hosts');
  let bastion: Bastion;
  const tunnels: Tunnel[] = [];
  before(async () => {
    // Few KDF rounds (-a 2) keep the encrypted key fast to open.
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', plainKey]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-a', '2', '-N', passphrase, '-f', lockedKey]);
    const authorizedKeys = [plainKey, lockedKey].map((k) => readFileSync(`${k}.pub`, 'utf8').trim());
    bastion = await startBastion({ host: '127.0.6.40', port: 0, user: 'ubuntu', authorizedKeys, route: () => null });
  });
  after(async () => {
    for (const t of tunnels) await t.stop();
    await bastion?.close();
    cleanup();
  });

  /** A tunnel to the bastion whose questions go to `prompts`, as ui-tunnel.ts builds it. */
  function tunnel(prompts: ReturnType<typeof createPromptStore>, identity: string): Tunnel {
    const t = makeTunnel(dir, {
      bastion: () => ({ host: bastion.host, port: bastion.port, user: 'ubuntu' }),
      identityFiles: [identity],
      knownHosts: { userFiles: [knownHosts], globalFiles: [], writeFile: knownHosts, acceptNew: false },
      ...tunnelPromptHooks(prompts, knownHosts),
    });
    tunnels.push(t);
    t.start();
    return t;
  }

  it('an unknown host key: n refuses and records nothing; y records it and the tunnel connects', async () => {
    const prompts = createPromptStore();
    const d = dash({ prompts });
    try {
      const refused = tunnel(prompts, plainKey);
      let frame = await d.waitFor('Unknown bastion host key');
      assert.match(frame, new RegExp(`The bastion \\[127\\.0\\.6\\.40\\]:${bastion.port} presents a host key that is in none of deckhand's known_hosts files`));
      assert.ok(frame.includes(`  ssh-ed25519 ${bastion.fingerprint}`), 'the SHA256 fingerprint, as ssh-keygen -lf prints it');
      assert.match(frame, /y trusts it and records it in .*known_hosts · n refuses/);
      assert.match(frame.split('\n').at(-1)!, /^ y trust n refuse/);
      assert.ok(!frame.includes('Nodes  3'), 'the question replaces the screen');
      // Nothing else works meanwhile: a screen key or q does not get past the question.
      await d.press('2', 'q', '?');
      assert.equal(d.quits, 0);
      assert.ok(d.frame().includes('Unknown bastion host key'));
      await d.press('n');
      const failure = await withTimeout(refused.done, 5000, 'the refused tunnel to end');
      assert.equal(failure?.kind, 'host-key-unknown');
      assert.ok(!existsSync(knownHosts) || readFileSync(knownHosts, 'utf8') === '', 'nothing was recorded');
      frame = await d.waitForGone('Unknown bastion host key');
      assert.match(frame, /\[1 Nodes\]/);

      const accepted = tunnel(prompts, plainKey);
      await d.waitFor('Unknown bastion host key');
      await d.press('y');
      await withTimeout(accepted.ready(), 5000, 'the accepted tunnel to listen');
      assert.match(readFileSync(knownHosts, 'utf8'), /^\|1\|\S+ ssh-ed25519 \S+\n$/, 'recorded, hashed, in deckhand\'s known_hosts');
      await d.waitForGone('Unknown bastion host key');
      assert.equal(accepted.getState().hostKeyFingerprint, bastion.fingerprint);
    } finally {
      d.unmount();
    }
  });

  it('an encrypted identity: the passphrase is typed masked and unlocks it; Esc skips the identity', async () => {
    const prompts = createPromptStore();
    const d = dash({ prompts });
    try {
      const unlocked = tunnel(prompts, lockedKey);
      let frame = await d.waitFor('Passphrase needed');
      assert.ok(frame.includes(`The identity ${lockedKey} is encrypted. Passphrase: ▌`));
      assert.match(frame.split('\n').at(-1)!, /^ Enter unlock Esc skip/);
      await d.type(passphrase);
      frame = await d.waitFor(`Passphrase: ${'•'.repeat(passphrase.length)}▌`);
      assert.ok(!frame.includes('correct') && !frame.includes('horse'), 'never shown');
      assert.equal(d.quits, 0, 'q was a letter of the passphrase, not quit');
      assert.equal(d.stores.store.getState().ui.screen, 'nodes', '2 was a letter too');
      await d.press(keys.enter);
      await withTimeout(unlocked.ready(), 5000, 'the tunnel to listen with the unlocked key');
      await d.waitForGone('Passphrase needed');
      assert.equal(prompts.getState().input, '', 'the passphrase is gone from the store');

      const skipped = tunnel(prompts, lockedKey);
      await d.waitFor('Passphrase needed');
      await d.type('xx');
      await d.press(keys.backspace);
      await d.waitFor('Passphrase: •▌');
      await d.press(keys.esc);
      const failure = await withTimeout(skipped.done, 5000, 'the tunnel without a usable identity to end');
      assert.equal(failure?.kind, 'identity', failure?.message);
      assert.ok(failure?.message.includes(lockedKey), failure?.message);
    } finally {
      d.unmount();
    }
  });
});
