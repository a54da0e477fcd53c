// A private tmux server per test: one pane of a fixed size running a plain shell in the repository, the sandboxed
// XDG directories deckhand writes to, and the command that starts the demo. Tests always kill() the server.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (the pane's working directory). */
export const root = resolve(import.meta.dirname, '../..');
/** Whether tmux can be run here (the e2e tests skip without it). */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A private tmux server with one 100×30 pane running a plain shell. */
export class Pane {
  readonly socket = `deckhand-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(env: Record<string, string>) {
    const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux('new-session', '-d', '-x', '100', '-y', '30', '-c', root, ...vars, 'env "PS1=$ " sh');
  }
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8', timeout: 10_000 });
  }
  capture(): string {
    return this.tmux('capture-pane', '-p');
  }
  alternateOn(): string {
    return this.tmux('display-message', '-p', '#{alternate_on}').trim();
  }
  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }
  type(text: string): void {
    this.tmux('send-keys', '-l', text);
  }
  async waitFor(check: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.capture();
      if (check(screen)) return screen;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}; the pane shows:\n${screen}`);
  }
  kill(): void {
    const path = spawnSync('tmux', ['-L', this.socket, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { timeout: 10_000 });
    // tmux leaves its socket file behind; it is ours, so it goes too.
    if (path.includes(this.socket)) rmSync(path, { force: true });
  }
}

/** A temporary home for deckhand's state and config, removed by the test. */
export function sandbox(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-e2e-'));
  for (const sub of ['state', 'config']) mkdirSync(join(dir, sub));
  return { dir, env: { XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config'), TERM: 'xterm-256color', LANG: 'C.UTF-8' } };
}

/** How the tests start the demo (from source, through tsx). */
export const command = 'node --import tsx src/cli/run.ts --demo';
