// Every process the benchmark starts goes through here, so that each one is stopped at the end, on an error and
// on Ctrl-C; and one-shot commands are timed by a small Python wrapper that reads the child's own rusage
// (wall time from fork to exit, peak RSS, CPU), which Node cannot do for a child.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const running = new Set<ChildProcess>();

/** Starts a process and tracks it until it exits. */
export function launch(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
  return child;
}

/** Tracks a process started elsewhere (child_process.fork). */
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops everything still running (end of the run, or an interrupted one). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((c) => stop(c, 1000)));
}

/** Kills what is left synchronously when the process exits (the last resort; stopAll is the normal way). */
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** What one timed run of a command cost. */
export interface Timed {
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
  code: number;
  stdoutBytes: number;
  stderr: string;
}

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
// Runs argv, discards its stdout (counting bytes), keeps the end of stderr, prints one JSON line to fd 3.
const wrapper = `
import json, os, resource, subprocess, sys, threading, time
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out = 0
err = b''
def drain_err():
    global err
    err = p.stderr.read()
t = threading.Thread(target=drain_err); t.start()
while True:
    chunk = p.stdout.read(1 << 16)
    if not chunk: break
    out += len(chunk)
p.wait(); t.join()
wall = (time.perf_counter() - t0) * 1000
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
os.write(3, json.dumps({"wallMs": wall, "cpuMs": (ru.ru_utime + ru.ru_stime) * 1000, "maxRssBytes": ru.ru_maxrss * 1024,
  "code": p.returncode, "stdoutBytes": out, "stderr": err.decode("utf8", "replace")[-2000:]}).encode() + b"\\n")
`;

/** Runs a command to completion under the rusage wrapper; rejects after `timeoutMs`. */
export async function timed(argv: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Timed> {
  const child = launch(python, ['-c', wrapper, ...argv], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], env: options.env ?? process.env });
  let text = '';
  (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: string) => (text += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  clearTimeout(timer);
  if (!text.trim()) throw new Error(`${argv.join(' ')}: no result (killed after ${options.timeoutMs ?? 120_000} ms?)`);
  const result = JSON.parse(text) as Timed;
  if (result.code !== 0) throw new Error(`${argv.slice(0, 3).join(' ')} … exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return result;
}

/**
 * CPU time (user + system, ms) a process and its live descendants have used so far, from /proc/PID/stat (utime and
 * stime, fields 14 and 15 of proc(5)); NaN where /proc is missing. Descendants count because `deckhand tunnel` does
 * its work in a child Node it relaunches itself into (src/cli/relaunch.ts).
 */
export function processCpuMs(pid: number): number {
  const stats = new Map<number, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(`/proc/${entry}/stat`);
    // Fields counted after the parenthesised command name, which may contain spaces: [0] is state (field 3).
    if (stat) stats.set(Number(entry), stat.slice(stat.lastIndexOf(')') + 2).split(' '));
  }
  if (!stats.has(pid)) return NaN;
  let total = 0;
  const queue = [pid];
  while (queue.length) {
    const current = queue.pop()!;
    const fields = stats.get(current)!;
    total += ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    for (const [child, f] of stats) if (Number(f[1]) === current) queue.push(child);
  }
  return total;
}

const ticksPerSecond = 100; // USER_HZ on Linux (getconf CLK_TCK)
function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
