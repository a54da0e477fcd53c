// `deckhand sim`: runs the simulated cluster and its bastion until interrupted.
import { resolve } from 'node:path';
import { scenarioNames, type ScenarioName } from '../sim/scenario.js';
import { UsageError, type Command } from './command.js';

const positiveInt = (value: unknown, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} must be a non-negative integer, got '${String(value)}'`);
  return n;
};

/** The `sim` subcommand. */
export const simCommand: Command = {
  name: 'sim',
  summary: 'Run the simulated cluster (API server, load balancer, bastion, controllers) until interrupted.',
  usage: 'deckhand sim [--scenario NAME] [--out DIR] [--time-scale N] [--nodes N --pods N --prowjobs N]',
  options: {
    scenario: { type: 'string', value: 'NAME', default: 'demo', description: `one of ${scenarioNames.join(', ')}` },
    out: { type: 'string', value: 'DIR', description: 'write kubeconfig, bastion_key, known_hosts and (last) sim.json here' },
    'time-scale': { type: 'string', value: 'N', description: 'simulated seconds per real second (default 10 for demo, else 1)' },
    nodes: { type: 'string', value: 'N', description: 'large scenario: number of nodes (default 200)' },
    pods: { type: 'string', value: 'N', description: 'large scenario: number of test pods (default 10000)' },
    prowjobs: { type: 'string', value: 'N', description: 'large scenario: number of ProwJobs (default 20000)' },
    seed: { type: 'string', value: 'N', description: 'seed of the simulation\'s randomness (default 42)' },
    quiet: { type: 'boolean', short: 'q', description: 'do not log what the simulation does' },
  },
  async run(values) {
    const name = String(values.scenario ?? 'demo');
    if (!(scenarioNames as readonly string[]).includes(name)) {
      throw new UsageError(`unknown scenario '${name}' (choose one of ${scenarioNames.join(', ')})`);
    }
    const scale = values['time-scale'] === undefined ? (name === 'demo' ? 10 : 1) : Number(values['time-scale']);
    if (!Number.isFinite(scale) || scale <= 0) throw new UsageError(`--time-scale must be a positive number, got '${String(values['time-scale'])}'`);
    const nodes = positiveInt(values.nodes, 'nodes');
    const pods = positiveInt(values.pods, 'pods');
    const prowjobs = positiveInt(values.prowjobs, 'prowjobs');
    if (name !== 'large' && (nodes ?? pods ?? prowjobs) !== undefined) throw new UsageError('--nodes, --pods and --prowjobs apply to --scenario large only');
    const outDir = values.out === undefined ? undefined : resolve(String(values.out));
    const quiet = values.quiet === true;
    // Signals are caught before anything starts: sim.json exists before startSim returns, so a reader may send
    // SIGINT at once, and that must still be a clean stop.
    let stopRequested!: () => void;
    const stopped = new Promise<void>((resolveStop) => (stopRequested = resolveStop));
    process.once('SIGINT', () => stopRequested());
    process.once('SIGTERM', () => stopRequested());
    // Loaded only now, so that --help and usage errors answer without starting anything.
    const { startSim } = await import('../sim/index.js');
    const sim = await startSim({
      scenario: name as ScenarioName,
      timeScale: scale,
      outDir,
      size: name === 'large' ? { nodes: nodes ?? 200, pods: pods ?? 10_000, prowjobs: prowjobs ?? 20_000 } : undefined,
      seed: positiveInt(values.seed, 'seed'),
      log: quiet ? undefined : (line) => process.stderr.write(`sim: ${line}\n`),
    });
    const i = sim.info;
    process.stdout.write(
      [
        `deckhand sim: scenario ${i.scenario} (CAPI ${sim.scenario.capi}, CAPO ${sim.scenario.capo}), time ×${scale}`,
        `  API server      ${i.api}   (context "sim": direct, for kubectl and tests)`,
        `  load balancer   ${i.loadBalancer}   (context "sim-via-bastion": only through the bastion or an allowlist entry)`,
        `  bastion         ${i.bastion.user}@${i.bastion.host} port ${i.bastion.port}   ${i.bastion.fingerprint}`,
        `  echo-IP         ${i.echoIpUrl}`,
        ...(outDir
          ? [
              `  kubeconfig      ${i.kubeconfig}`,
              `  try:            kubectl --kubeconfig ${i.kubeconfig} get nodes,machines`,
              `  tunnel:         deckhand tunnel --bastion ${i.bastion.user}@${i.bastion.host}:${i.bastion.port} --identity ${i.identityFile} --known-hosts ${i.knownHosts}`,
            ]
          : ['  (no --out DIR: nothing written; pass --out to get a kubeconfig)']),
        '',
      ].join('\n'),
    );
    await stopped;
    await sim.stop();
    return 0;
  },
};
