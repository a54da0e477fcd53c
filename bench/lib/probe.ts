// The benchmark's side of the dashboard probe: starts it (timing from just before the fork), waits for its
// complete model, asks it questions one at a time and stops it.
import { fork, type ChildProcess } from 'node:child_process';
import type { Cluster } from './cluster.js';
import { stop, track } from './children.js';
import { dashboardProbe } from './paths.js';
import type { ProbeReply, ProbeRequest, ProbeSettings } from './protocol.js';

type Complete = Extract<ProbeReply, { type: 'complete' }>;

/** A running probe. */
export interface Probe {
  child: ChildProcess;
  /** Wall-clock time just before the fork (ms since the epoch). */
  spawnedAt: number;
  complete: Promise<Complete>;
  ask<T extends ProbeReply['type']>(request: ProbeRequest, expect: T): Promise<Extract<ProbeReply, { type: T }>>;
  quit(): Promise<void>;
}

/**
 * Ink writes only the last frame when it believes it runs in CI (is-in-ci), which would hide every frame this
 * probe measures; a dashboard is never used that way, so those variables are left out of its environment.
 */
function terminalEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && !k.startsWith('CI_')));
  // Colours as in an operator's terminal: Ink's colour library otherwise sees a pipe and draws plain text.
  return { ...env, FORCE_COLOR: '3', TERM: 'xterm-256color', NO_COLOR: undefined } as NodeJS.ProcessEnv;
}

/** Extra node flags for the probe, to profile it: BENCH_PROBE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const profileFlags = (process.env.BENCH_PROBE_FLAGS ?? '').split(' ').filter(Boolean);

/** Starts the dashboard probe against a tier. */
export function startProbe(cluster: Cluster, options: { columns?: number; rows?: number; timeoutMs?: number } = {}): Probe {
  const settings: ProbeSettings = {
    kubeconfig: cluster.kubeconfig, context: cluster.context, proxyUrl: cluster.proxyUrl,
    columns: options.columns ?? 160, rows: options.rows ?? 48, timeoutMs: options.timeoutMs ?? 120_000,
  };
  const env = terminalEnv(cluster.env);
  const spawnedAt = Date.now();
  const child = track(fork(dashboardProbe, [JSON.stringify(settings)], { env, execArgv: ['--expose-gc', ...profileFlags], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const waiting: { expect: string; resolve: (r: ProbeReply) => void; reject: (e: Error) => void }[] = [];
  let resolveComplete: (c: Complete) => void = () => undefined;
  let rejectComplete: (e: Error) => void = () => undefined;
  const complete = new Promise<Complete>((resolve, reject) => {
    resolveComplete = resolve;
    rejectComplete = reject;
  });
  complete.catch(() => undefined); // observed by the caller; an unobserved failure must not crash the run
  child.on('message', (raw) => {
    const reply = raw as ProbeReply;
    if (reply.type === 'complete') return resolveComplete(reply);
    if (reply.type === 'error') {
      const error = new Error(`probe: ${reply.message}`);
      rejectComplete(error);
      waiting.shift()?.reject(error);
      return;
    }
    const next = waiting.shift();
    if (!next) return;
    if (next.expect === reply.type) next.resolve(reply);
    else next.reject(new Error(`probe answered ${reply.type}, expected ${next.expect}`));
  });
  child.once('exit', (code, signal) => {
    const error = new Error(`probe exited (${code ?? signal}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    rejectComplete(error);
    for (const w of waiting.splice(0)) w.reject(error);
  });
  let chain: Promise<unknown> = Promise.resolve();
  return {
    child,
    spawnedAt,
    complete,
    ask: <T extends ProbeReply['type']>(request: ProbeRequest, expect: T) => {
      const asked = chain.then(() => new Promise<Extract<ProbeReply, { type: T }>>((resolve, reject) => {
        waiting.push({ expect, resolve: resolve as (r: ProbeReply) => void, reject });
        child.send(request);
      }));
      chain = asked.catch(() => undefined);
      return asked;
    },
    quit: async () => {
      if (child.connected) child.send({ type: 'quit' } satisfies ProbeRequest);
      const exited = child.exitCode !== null || child.signalCode !== null;
      if (!exited) await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      await stop(child, 1000);
    },
  };
}
