// `deckhand status`: connect, list every kind once through the same watch sources the dashboard uses, poll
// metrics once, print the derived tables (text, or --json for scripts) and exit. Exit 1 with one line when the
// cluster cannot be read at all; parts that cannot be read (a refused kind) are listed under "problems".
import { formatBytesHuman, formatCpuHuman } from '../format/quantity.js';
import { displayWidth, padEnd, truncate } from '../format/text.js';
import { createClient } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import type { ClusterSession } from '../kube/session.js';
import { createAppStore, type AppStore } from '../store/app-store.js';
import { connectCluster } from '../store/connect.js';
import { selectStatusSnapshot, type StatusSnapshot } from '../store/snapshot.js';
import { UsageError, type Command, type Values } from './command.js';
import { deckhandPaths } from './paths.js';
import { loadProfileConfig, selectProfile } from './profiles.js';

/** The `deckhand status` subcommand. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'Print a one-shot snapshot of nodes, machines, rollouts, Prow jobs, job usage and component health.',
  usage: 'deckhand status [--kubeconfig FILE] [--context NAME] [--profile NAME] [--proxy-url URL] [--json]',
  options: {
    kubeconfig: { type: 'string', value: 'FILE', description: 'kubeconfig to read (else $KUBECONFIG, else ~/.kube/config); never written' },
    context: { type: 'string', value: 'NAME', description: 'kubeconfig context (else the profile\'s, else current-context)' },
    profile: { type: 'string', value: 'NAME', description: 'profile from the config file (context, Prow namespace, tunnel address)' },
    'proxy-url': { type: 'string', value: 'URL', description: 'SOCKS proxy of a running `deckhand tunnel`, e.g. socks5h://127.0.0.1:6443 ("none" = direct)' },
    'prow-namespace': { type: 'string', value: 'NS', description: 'namespace of the Prow components (else the profile\'s, else prow)' },
    timeout: { type: 'string', value: 'SECONDS', default: '30', description: 'how long to wait for every kind to be listed' },
    json: { type: 'boolean', description: 'print the snapshot as JSON (shape in README.md, "deckhand status")' },
  },
  run: runStatus,
};

const text = (value: Values[string]): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Waits until every source has listed, is not installed, or has failed once; false on timeout. */
async function settled(store: AppStore, session: ClusterSession, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    store.getState().actions.flush();
    const sources = store.getState().cluster.sources;
    const done = session.sources.every((s) => {
      const status = sources[s.id];
      return status !== undefined && (status.synced || status.phase === 'not-installed' || status.error !== undefined);
    });
    if (done) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runStatus(values: Values): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`deckhand status: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  };
  const timeoutMs = Number(text(values.timeout) ?? '30') * 1000;
  if (!(timeoutMs > 0)) throw new UsageError(`--timeout expects a positive number of seconds, got '${String(values.timeout)}'`);
  let session: ClusterSession | undefined;
  const store = createAppStore();
  try {
    const config = await loadProfileConfig(deckhandPaths().configFile);
    const profile = selectProfile(config, text(values.profile));
    const flagProxy = text(values['proxy-url']);
    // A profile with a bastion means the API is reachable only through the tunnel `deckhand tunnel` keeps open.
    const profileProxy = profile?.bastion || profile?.socksListen ? `socks5h://${profile.socksListen ?? '127.0.0.1:6443'}` : undefined;
    const proxyUrl = flagProxy === 'none' ? null : (flagProxy ?? profileProxy);
    const context = text(values.context) ?? profile?.kubeContext;
    const client = createClient({ kubeconfig: text(values.kubeconfig), ...(context ? { context } : {}), ...(proxyUrl !== undefined ? { proxyUrl } : {}) });
    const prowNamespace = text(values['prow-namespace']) ?? profile?.prowNamespace ?? 'prow';
    try {
      session = await connectCluster(store, { client, prowNamespace, metricsIntervalMs: 0 });
      await settled(store, session, timeoutMs);
      await session.pollMetrics();
      store.getState().actions.flush();
    } finally {
      session?.stop();
      client.close();
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const hint = err instanceof KubeError && err.kind === 'unreachable' && /tunnel/.test(err.message) ? ' (is `deckhand tunnel` running?)' : '';
    return fail(`${(err as Error).message}${hint}`);
  } finally {
    store.getState().actions.dispose();
  }
  const snapshot = selectStatusSnapshot(store.getState(), Date.now());
  if (!snapshot.sources.some((s) => s.synced)) return fail(`nothing could be read: ${snapshot.problems[0] ?? 'no source answered'}`);
  process.stdout.write(values.json ? `${JSON.stringify(snapshot, null, 2)}\n` : renderText(snapshot));
  for (const problem of snapshot.problems) process.stderr.write(`deckhand status: warning: ${problem}\n`);
  return 0;
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const cpu = (milli: number | undefined) => (milli === undefined ? '-' : formatCpuHuman(milli));
const mem = (bytes: number | undefined) => (bytes === undefined ? '-' : formatBytesHuman(bytes));
const pct = (value: number | undefined) => (value === undefined ? '-' : `${value}%`);
const opt = (value: number | undefined) => (value === undefined ? '-' : String(value));

/** The human-readable snapshot. */
export function renderText(s: StatusSnapshot): string {
  const out: string[] = [];
  const apis = Object.entries(s.apis).map(([id, a]) => `${id} ${a.installed ? a.version : 'not installed'}`);
  out.push(`context ${s.context ?? '?'} at ${s.server ?? '?'} ${s.tunnel ? `through ${s.tunnel}` : '(direct)'}, Kubernetes ${s.serverVersion ?? '?'}`);
  out.push(`APIs: ${apis.join(', ')}`, '');
  out.push('NODES', ...table(
    ['NAME', 'STATUS', 'ROLES', 'VERSION', 'CPU', 'CPU%', 'MEMORY', 'MEM%', 'REQ CPU', 'REQ MEM', 'PODS', 'JOBS', 'MACHINE'],
    s.nodes.map((n) => [
      n.name, n.statusText + (n.status === 'Ready' ? '' : ` (heartbeat ${n.heartbeatAge ?? '?'} ago)`), n.roles.join(',') || '<none>', n.version ?? '',
      cpu(n.cpu.usage), pct(n.cpu.usagePercent), mem(n.memory.usage), pct(n.memory.usagePercent),
      `${cpu(n.cpu.requested)} (${n.cpu.requestedPercent}%)`, `${mem(n.memory.requested)} (${n.memory.requestedPercent}%)`, `${n.pods}/${n.podCapacity}`, String(n.prowJobPods), n.machine?.name ?? '',
    ]),
  ), '');
  if (s.apis.capi?.installed) {
    out.push('MACHINES', ...table(
      ['NAMESPACE', 'NAME', 'PHASE', 'OWNER', 'NODE', 'VERSION', 'AGE', 'SUMMARY'],
      s.machines.map((m) => [m.namespace, m.name, m.phase, m.owner ? `${m.owner.kind}/${m.owner.name}` : 'none (not replaced)', m.node ?? '', m.version ?? '', m.age, truncate(m.summary, 60)]),
    ), '');
    out.push('ROLLOUTS', ...table(
      ['KIND', 'NAME', 'DESIRED', 'UP-TO-DATE', 'READY', 'AVAILABLE', 'VERSION', 'MACHINES (NEW/OLD)', 'STATE'],
      [...s.controlPlanes, ...s.machineDeployments].map((r) => [
        r.kind, `${r.namespace}/${r.name}`, opt(r.desired), opt(r.upToDate), opt(r.ready), opt(r.available), r.version ?? '', `${r.machines.new}/${r.machines.old}`,
        r.complete ? 'complete' : r.stalled ? `STALLED (idle ${r.idleFor})` : r.paused ? 'paused' : `rolling: ${r.progress}`,
      ]),
    ), '');
  }
  if (s.apis.prow?.installed) {
    const counts = Object.entries(s.prowJobs.counts).filter(([, n]) => n > 0).map(([state, n]) => `${state} ${n}`);
    out.push(`PROW JOBS: ${s.prowJobs.total}${counts.length ? ` (${counts.join(', ')})` : ''}`, '');
    out.push('TOP JOBS BY USAGE', ...table(
      ['JOB', 'RUNS', 'RUNNING', 'CPU NOW', 'MEM NOW', 'CPU P95/MAX', 'MEM P95/MAX', 'REQUESTS', 'SUGGESTED', 'FLAGS'],
      s.jobUsage.slice(0, 10).map((j) => [
        j.job, String(j.runsSeen), String(j.runningNow), cpu(j.current?.cpuMilli), mem(j.current?.memoryBytes),
        `${cpu(j.p95?.cpuMilli)}/${cpu(j.max?.cpuMilli)}`, `${mem(j.p95?.memoryBytes)}/${mem(j.max?.memoryBytes)}`,
        `${cpu(j.requests.cpuMilli)} ${mem(j.requests.memoryBytes)}`, j.suggested ? `${cpu(j.suggested.cpuMilli)} ${mem(j.suggested.memoryBytes)}` : '-', j.flags.join(','),
      ]),
    ), '');
  }
  out.push('COMPONENTS', ...table(
    ['NAME', 'READY', 'RESTARTS', 'WAITING', 'RECENT WARNING'],
    s.components.map((c) => [c.name, `${c.ready}/${c.desired}`, String(c.restarts), c.waiting.map((w) => `${w.reason}×${w.pods}`).join(', '), c.events[0] ? truncate(`${c.events[0].reason}: ${c.events[0].message}`, 70) : '']),
  ));
  const missing = Object.entries(s.apis).filter(([, a]) => !a.installed).map(([, a]) => (a.installed ? '' : a.reason));
  if (missing.length) out.push('', ...missing.map((reason) => `note: ${reason}`));
  return `${out.join('\n')}\n`;
}
