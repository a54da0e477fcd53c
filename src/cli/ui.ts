// `deckhand` / `deckhand --demo`: the interactive dashboard and its composition root. It prepares the tunnel (the
// demo's simulated bastion, or the profile's, asking about unknown host keys and passphrases in the dashboard),
// wires the stores, the route, the cluster link and the runbook engine (ui-wiring.ts), takes the terminal over
// (alternate screen, root one row shorter than the terminal), renders <App>, and gives everything back on quit,
// Ctrl-C, SIGTERM or a crash. Logs go to a file in the XDG state directory, never to the terminal under Ink.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink';
import { UsageError, type Command, type Values } from './command.js';
import { deckhandPaths, type DeckhandPaths } from './paths.js';
import { loadProfileConfig, selectProfile, type Profile } from './profiles.js';
import { bastionUpdater, runProfile } from './runbook-setup.js';
import { kubeconfigContexts } from './ui-link.js';
import { fileLog, logFileIn, type Log } from './ui-log.js';
import { takeTerminal } from './ui-terminal.js';
import { demoTunnel, profileTunnel, type OpenedTunnel } from './ui-tunnel.js';
import { wireDashboard } from './ui-wiring.js';
import type { RunProfile } from '../runbooks/types.js';
import { App } from '../screens/app.js';
import { renderOptions } from '../screens/render-options.js';
import { createPromptStore, type PromptStore } from '../store/prompt-store.js';
import { tunnelPromptHooks } from '../store/tunnel-prompts.js';

/** The `ui` subcommand (what plain `deckhand` runs). */
export const uiCommand: Command = {
  name: 'ui',
  summary: 'The interactive dashboard: nodes, machines and rollouts, Prow jobs and their usage, components, runbooks.',
  usage: 'deckhand [--demo] [--kubeconfig FILE] [--context NAME] [--profile NAME] [--read-only] [--bastion [USER@]HOST[:PORT]] [--listen HOST:PORT] [--identity FILE] [--known-hosts FILE] [--accept-new]',
  options: {
    demo: { type: 'boolean', description: 'run against the built-in simulated cluster, reached through its own bastion tunnel (no setup needed)' },
    kubeconfig: { type: 'string', value: 'FILE', description: 'kubeconfig to read (default $KUBECONFIG or ~/.kube/config)' },
    context: { type: 'string', value: 'NAME', description: 'kubeconfig context (default the profile\'s, else the current context)' },
    profile: { type: 'string', value: 'NAME', description: 'profile from the config file' },
    'read-only': { type: 'boolean', description: 'no runbook keys at all (also set by the profile)' },
    bastion: { type: 'string', value: '[USER@]HOST[:PORT]', description: 'open a SOCKS tunnel through this bastion (else $BASTION_FLOATING_IP or the profile\'s)' },
    listen: { type: 'string', value: 'HOST:PORT', description: 'loopback address of the tunnel\'s SOCKS proxy (default an ephemeral port)' },
    identity: { type: 'string', short: 'i', multiple: true, value: 'FILE', description: 'private key for the bastion, repeatable (ssh-agent is used too)' },
    'known-hosts': { type: 'string', value: 'FILE', description: 'known_hosts file for the bastion instead of ~/.ssh/known_hosts and deckhand\'s own' },
    'accept-new': { type: 'boolean', description: 'record the key of a bastion never seen before; changed keys are still refused' },
  },
  run: runUi,
};

const demoConflicts = ['kubeconfig', 'bastion', 'listen', 'identity', 'known-hosts', 'accept-new', 'profile'];
const text = (v: Values[string]) => (typeof v === 'string' ? v : undefined);
// The demo's simulated cluster runs ten times faster than the clock, so its runbooks wait ten times less.
const demoTimeScale = 10;

/** Everything started for one session, stopped in reverse order. */
interface Started {
  log: Log;
  logFile: string;
  profile?: Profile;
  profileName: string;
  runProfile: RunProfile;
  clusterTimeScale: number;
  kubeconfig?: string;
  context?: string;
  tunnelContext?: string;
  tunnel?: OpenedTunnel;
  stopSim?: () => Promise<void>;
  cleanupFiles?: () => Promise<void>;
}

async function prepare(values: Values, paths: DeckhandPaths, prompts: PromptStore): Promise<Started> {
  const logFile = logFileIn(paths.stateDir);
  const log = fileLog(logFile);
  const readOnly = values['read-only'] === true;
  if (values.demo === true) {
    const conflict = demoConflicts.find((name) => values[name] !== undefined);
    if (conflict) throw new UsageError(`--demo runs its own simulated cluster and bastion; --${conflict} does not apply`);
    const { startSim } = await import('../sim/index.js');
    const sim = await startSim({ scenario: 'demo', timeScale: demoTimeScale, log: (line) => log(`sim: ${line}`) });
    const dir = await mkdtemp(join(tmpdir(), 'deckhand-demo-kube-'));
    const kubeconfig = join(dir, 'kubeconfig');
    let tunnel: OpenedTunnel;
    try {
      await writeFile(kubeconfig, sim.kubeconfig, { mode: 0o600 });
      tunnel = await demoTunnel(sim, log);
    } catch (err) {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return {
      log, logFile, profileName: 'demo', kubeconfig, context: text(values.context) ?? 'sim-via-bastion', tunnelContext: 'sim-via-bastion', tunnel,
      runProfile: { ...runProfile(undefined, {}), name: 'demo', readOnly, echoIpUrl: sim.info.echoIpUrl }, clusterTimeScale: demoTimeScale,
      stopSim: () => sim.stop(), cleanupFiles: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const config = await loadProfileConfig(paths.configFile);
  const profile = selectProfile(config, text(values.profile));
  const profileName = profile?.name ?? 'default';
  const kubeconfig = text(values.kubeconfig);
  const context = text(values.context) ?? profile?.kubeContext ?? kubeconfigContexts(kubeconfig).current;
  const tunnel = profileTunnel(values, profile, profileName, paths, log, (file) => tunnelPromptHooks(prompts, file));
  const base = runProfile(profile, {});
  return {
    log, logFile, ...(profile ? { profile } : {}), profileName, runProfile: { ...base, readOnly: base.readOnly || readOnly }, clusterTimeScale: 1,
    ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context, tunnelContext: context } : {}), ...(tunnel ? { tunnel } : {}),
  };
}

/** Runs a cleanup step with a bound, so a stuck close cannot keep the terminal from being restored. */
async function bounded(what: string, step: (() => Promise<unknown>) | undefined, log: Log, ms = 3000): Promise<void> {
  if (!step) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(() => (log(`${what}: still closing after ${ms} ms, giving up`), resolve()), ms)));
  await Promise.race([step().catch((err: unknown) => log(`${what}: ${(err as Error).message}`)), timeout]);
  clearTimeout(timer);
}

async function runUi(values: Values): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('deckhand: the dashboard needs an interactive terminal (stdin and stdout must be a TTY).\n' +
      'For scripts and pipes use `deckhand status` (add --json for machine-readable output).\n');
    return 2;
  }
  const paths = deckhandPaths();
  const prompts = createPromptStore();
  let started: Started;
  try {
    started = await prepare(values, paths, prompts);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    process.stderr.write(`deckhand: ${(err as Error).message}\n`);
    return 1;
  }
  const { log } = started;
  const wiring = wireDashboard({
    paths, log, prompts, runProfile: started.runProfile, clusterTimeScale: started.clusterTimeScale,
    session: {
      ...(started.context ? { context: started.context } : {}), profile: started.profileName, production: started.profile?.production === true,
      readOnly: started.runProfile.readOnly, demo: values.demo === true, logFile: started.logFile,
    },
    ...(started.kubeconfig ? { kubeconfig: started.kubeconfig } : {}),
    ...(started.context ? { context: started.context } : {}),
    ...(started.tunnelContext ? { tunnelContext: started.tunnelContext } : {}),
    ...(started.tunnel ? { tunnel: started.tunnel } : {}),
    ...(started.profile?.prowNamespace ? { prowNamespace: started.profile.prowNamespace } : {}),
    ...(started.profile ? { updateProfileBastion: bastionUpdater(paths, started.profile) } : {}),
  });

  // After a hangup (the terminal window or tmux server went away) writes to the tty fail with EIO; that must not
  // crash the process before the simulated cluster, the tunnel and the temporary files are cleaned up.
  const onStdoutError = (err: Error) => log(`terminal: ${err.message}`);
  process.stdout.on('error', onStdoutError);
  const terminal = takeTerminal(process.stdout, { logFile: started.logFile });
  let code = 0;
  try {
    const { store, shell, runbooks } = wiring;
    const app = render(createElement(App, { store, shell, runbooks, prompts }), renderOptions);
    wiring.start();
    const ended: { signal?: NodeJS.Signals; error?: unknown; rendering?: boolean } = await Promise.race([
      app.waitUntilExit().then(() => ({}), (error: unknown) => ({ error, rendering: true })),
      terminal.interrupted,
    ]);
    app.unmount();
    if (ended.error !== undefined) {
      code = 1;
      log(`ended with an error: ${String(ended.error)}`);
      // A crash outside rendering was printed by the terminal's handler already, after restoring it.
      if (ended.rendering) {
        terminal.restore();
        process.stderr.write(`deckhand: ${ended.error instanceof Error ? (ended.error.stack ?? ended.error.message) : String(ended.error)}\n`);
      }
    } else if (ended.signal) {
      code = ended.signal === 'SIGINT' ? 130 : ended.signal === 'SIGTERM' ? 143 : 129;
      log(`ended by ${ended.signal}`);
    }
  } finally {
    terminal.restore();
    await bounded('connections and tunnel', () => wiring.stop(), log);
    await bounded('simulated cluster', started.stopSim, log);
    await bounded('temporary files', started.cleanupFiles, log);
  }
  log(`exit ${code}`);
  // Everything is stopped; a library handle left open must not keep an interactive command alive after quit.
  setTimeout(() => process.exit(code), 1000).unref();
  return code;
}
