// `deckhand runbook <id> [options]`: run a runbook step by step in the terminal, or `--plan` it (every preview,
// nothing changed), or `--list` them. Parameters are validated before anything is read; an unfinished run found in
// the journal is reported first (an unfinished bastion-swap whose temporary allowlist entry is still there, before
// anything else) and resumed only when asked (--resume), or discarded (--discard).
import { createInterface } from 'node:readline/promises';
import { discover } from '../kube/discovery.js';
import { KubeError } from '../kube/errors.js';
import { watchedFamilies } from '../kube/kinds.js';
import { openAuditLog } from '../runbooks/audit.js';
import { createConnection } from '../runbooks/connection.js';
import { createRun } from '../runbooks/engine.js';
import { catalog, findRunbook } from '../runbooks/index.js';
import { discardRun, findUnfinished, newRunId, openJournal, type ResumePoint } from '../runbooks/journal.js';
import { describeParams, validateParams } from '../runbooks/params.js';
import { planRunbook } from '../runbooks/plan-all.js';
import { unfinishedNotices } from '../runbooks/startup.js';
import type { ConnectionControl } from '../runbooks/connection-types.js';
import { UsageError, type Command, type Values } from './command.js';
import { deckhandPaths } from './paths.js';
import { loadProfileConfig, selectProfile } from './profiles.js';
import { drive } from './runbook-driver.js';
import { planText, resultText } from './runbook-render.js';
import { connectionOptions, flag, rawParams, runProfile } from './runbook-setup.js';

const s = (description: string, value = 'VALUE') => ({ type: 'string' as const, value, description });

/** The `deckhand runbook` subcommand. */
export const runbookCommand: Command = {
  name: 'runbook',
  summary: 'Run a guided runbook (recover-node, bastion-swap, scale-md) step by step, or --plan it without changing anything.',
  usage: 'deckhand runbook <id> [--plan] [--yes] [options] | deckhand runbook --list | deckhand runbook --resume [--run ID]',
  positionals: true,
  options: {
    list: { type: 'boolean', description: 'list the runbooks (and unfinished runs)' },
    plan: { type: 'boolean', description: "print every step's preview and change nothing" },
    yes: { type: 'boolean', short: 'y', description: 'confirm ordinary steps without asking; dangerous steps in production still need --type-name' },
    'type-name': { type: 'string', multiple: true, value: 'NAME', description: "the target's name for a dangerous step in a production profile (repeatable)" },
    ack: { type: 'string', multiple: true, value: 'ID', description: 'acknowledge a risk by its id, as the plan prints it (repeatable)' },
    'rollback-on-failure': { type: 'boolean', description: 'without a terminal: roll back what was applied when a step fails (default: stop)' },
    resume: { type: 'boolean', description: 'resume the newest unfinished run (or --run ID)' },
    run: s('with --resume or --discard: which unfinished run', 'ID'),
    discard: { type: 'boolean', description: 'mark the unfinished run (newest, or --run ID) as finished without resuming it' },
    kubeconfig: s('kubeconfig to read (never written)', 'FILE'),
    context: s("kubeconfig context (else the profile's, else current-context)", 'NAME'),
    profile: s('profile from the config file', 'NAME'),
    'proxy-url': s('use a running `deckhand tunnel` (socks5h://127.0.0.1:6443), or "none" for direct', 'URL'),
    bastion: s('open a tunnel of its own through this bastion', '[USER@]HOST[:PORT]'),
    identity: { type: 'string', short: 'i', multiple: true, value: 'FILE', description: 'private key for the bastion (repeatable)' },
    'known-hosts': s('known_hosts file to read besides deckhand\'s own', 'FILE'),
    'ssh-config': s('ssh client config, or "none"', 'FILE'),
    node: s('recover-node: the node whose kubelet stopped reporting', 'NAME'),
    machine: s('recover-node: the Machine (instead of --node)', 'NAME'),
    namespace: s('namespace of the Machine / MachineDeployment / OpenStackCluster', 'NS'),
    'drain-timeout': s('recover-node: nodeDrainTimeout to set (default 10m)', 'DURATION'),
    'volume-timeout': s('recover-node: nodeVolumeDetachTimeout to set (default 15m)', 'DURATION'),
    cluster: s('bastion-swap: the OpenStackCluster (else the profile\'s, else the only one)', 'NAME'),
    image: s('bastion-swap: the new bastion image (default: the current one, a recreate)', 'IMAGE'),
    'public-ip': s('bastion-swap: your public IP (else asked from the echo-IP URL)', 'IP'),
    'echo-ip-url': s("bastion-swap: service answering with your public IP (else the profile's)", 'URL'),
    md: s('scale-md: the MachineDeployment (default prow-md-0)', 'NAME'),
    replicas: s('scale-md: the new replica count', 'N'),
    'max-replicas': s('scale-md: highest count accepted (default: the profile\'s, else 10)', 'N'),
    'cluster-time-scale': s('cluster seconds per real second, for the simulator (`deckhand sim --time-scale`)', 'N'),
  },
  run: runRunbook,
};

async function runRunbook(values: Values, positionals: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(text);
  const err = (text: string) => process.stderr.write(`deckhand runbook: ${text}\n`);
  const paths = deckhandPaths();
  if (values.list) {
    const width = Math.max(...catalog.map((r) => r.id.length));
    out(catalog.map((r) => `${r.id.padEnd(width)}  ${r.summary}\n`).join(''));
    for (const p of await findUnfinished(paths.journalDir)) out(`unfinished: ${p.runId} (${p.runbook}, stopped at step ${p.index + 1}, ${p.lastPhase})\n`);
    return 0;
  }
  const config = await loadProfileConfig(paths.configFile);
  const profile = selectProfile(config, flag(values.profile));
  const rp = runProfile(profile, values);
  const unfinished = await findUnfinished(paths.journalDir);
  const chosen = (list: ResumePoint[]) => (flag(values.run) ? list.find((p) => p.runId === flag(values.run)) : list[0]);
  if (values.discard) {
    const point = chosen(unfinished);
    if (!point) return (err('no unfinished run to discard'), 1);
    await discardRun(paths.journalDir, point.runId);
    out(`discarded ${point.runId}\n`);
    return 0;
  }
  let resume: ResumePoint | undefined;
  if (values.resume) {
    resume = chosen(unfinished);
    if (!resume) return (err('no unfinished run to resume'), 1);
  }
  const id = resume?.runbook ?? positionals[0];
  if (!id) throw new UsageError('name a runbook (deckhand runbook --list shows them)');
  const runbook = findRunbook(id);
  if (!runbook) throw new UsageError(`unknown runbook '${id}' (known: ${catalog.map((r) => r.id).join(', ')})`);
  const validated = resume ? { ok: true as const, params: resume.params } : validateParams(runbook, rawParams(runbook, values), rp);
  if (!validated.ok) {
    for (const e of validated.errors) err(e);
    return 2;
  }
  if (!values.plan && rp.readOnly) return (err(`profile ${rp.name} is read-only: runbooks can only be planned (--plan)`), 1);
  const scaleText = flag(values['cluster-time-scale']);
  const clusterTimeScale = scaleText ? Number(scaleText) : 1;
  if (!(clusterTimeScale > 0)) throw new UsageError(`--cluster-time-scale expects a positive number, got '${scaleText}'`);

  let connection: ConnectionControl | undefined;
  try {
    connection = await createConnection(connectionOptions(values, profile, paths));
    const client = connection.client();
    const discovery = await discover(client, watchedFamilies);
    for (const notice of await unfinishedNotices(unfinished, client, discovery)) err(notice);
    if (!values.plan && !resume && unfinished.length) {
      err(`an unfinished run exists (${unfinished[0]!.runId}): resume it with --resume, or --discard it, before starting another`);
      return 1;
    }
    const base = { runbook, params: validated.params, client, discovery, profile: rp, connection };
    if (values.plan) {
      out(planText(`${runbook.title} (${describeParams(runbook, validated.params)}) on context ${client.target.context}`, await planRunbook(base), { production: rp.production, ...(runbook.recovery ? { recovery: runbook.recovery({ memory: {}, params: validated.params as never }) } : {}) }));
      return 0;
    }
    const runId = resume?.runId ?? newRunId(runbook.id, Date.now());
    const run = createRun({ ...base, journal: openJournal(paths.journalDir, runId), audit: openAuditLog(paths.auditLog), clusterTimeScale, ...(resume ? { resume } : {}) });
    out(`${resume ? 'resuming' : 'running'} ${runbook.title} (${runId}) on context ${client.target.context}${rp.production ? ' [PRODUCTION]' : ''}\njournal ${paths.journalDir}/${runId}.jsonl, audit ${paths.auditLog}\n`);
    const rl = values.yes || !process.stdin.readable ? undefined : createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
    try {
      const { state, stopped } = await drive(run, {
        yes: values.yes === true,
        typedNames: (values['type-name'] as string[] | undefined) ?? [],
        acks: (values.ack as string[] | undefined) ?? [],
        onFailure: values['rollback-on-failure'] ? 'rollback' : 'abort',
        // A closed stdin answers 'q' (stop), never '' (which would mean yes).
        ...(rl ? { ask: (q: string) => rl.question(q).catch(() => 'q') } : {}),
        write: out,
      });
      out(resultText(state));
      if (stopped) err(stopped);
      return state.phase === 'done' ? 0 : 1;
    } finally {
      rl?.close();
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    err(e instanceof KubeError ? e.message : (e as Error).message);
    return 1;
  } finally {
    await connection?.close();
  }
}
