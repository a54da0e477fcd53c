// The machine description that goes with the results: hardware, versions of everything compared, and how busy
// the machine was (the figures are wall-clock times on a shared 2-core machine).
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

const output = (command: string, args: string[]): string => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    // `ssh -V` prints to stderr and exits 0; anything else failing is recorded as such.
    const e = err as { stderr?: string };
    return e.stderr?.trim() || 'not found';
  }
};

/** Describes this machine and the run. */
export function describeMachine(run: { mode: string; durationS: number; runs: number }): Record<string, unknown> {
  // `ssh -V` prints its version on stderr.
  const ssh = spawnSync('ssh', ['-V'], { encoding: 'utf8' });
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    kubectl: output('kubectl', ['version', '--client']).split('\n')[0],
    ssh: `${ssh.stderr}${ssh.stdout}`.trim().split(',')[0] || 'not found',
    commit: output('git', ['rev-parse', '--short', 'HEAD']),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    mode: run.mode,
    runs: run.runs,
    durationS: run.durationS,
    loadAverage: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}
