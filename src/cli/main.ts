// Entry point: picks the subcommand and hands over. Subcommands live one per file and are loaded lazily, so
// `deckhand status` never loads Ink and `deckhand tunnel` never loads the Kubernetes client.
import { commandHelp, parseCommandArgs, UsageError, type Command } from './command.js';

/** The subcommands, in the order --help lists them. `ui` is what plain `deckhand` runs. */
const commands: Record<string, () => Promise<Command>> = {
  ui: async () => (await import('./ui.js')).uiCommand,
  sim: async () => (await import('./sim.js')).simCommand,
  tunnel: async () => (await import('./tunnel.js')).tunnelCommand,
  status: async () => (await import('./status.js')).statusCommand,
  runbook: async () => (await import('./runbook.js')).runbookCommand,
};

const summaries: Record<string, string> = {
  ui: 'the interactive dashboard (the default; `deckhand --demo` runs it on the built-in simulated cluster)',
  sim: 'run the simulated cluster and its bastion, writing a kubeconfig for kubectl and tests',
  tunnel: 'only the bastion SOCKS tunnel, in the foreground (replaces `ssh -N -D 127.0.0.1:6443 user@bastion`)',
  status: 'print a one-shot snapshot of nodes, machines, rollouts and Prow jobs (text or --json)',
  runbook: 'run or --plan a guided runbook: recover-node, bastion-swap, scale-md',
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(summaries).map((k) => k.length));
  return [
    'deckhand — a terminal ops dashboard for a Prow CI cluster built by Cluster API on OpenStack',
    '',
    'Usage: deckhand [command] [options]',
    '',
    'Commands:',
    ...Object.entries(summaries)
      .filter(([name]) => name in commands)
      .map(([name, text]) => `  ${name.padEnd(width)}  ${text}`),
    '',
    'Run `deckhand <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/** Runs deckhand with the given arguments and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (first === '--version') {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  const isCommand = first !== undefined && !first.startsWith('-');
  const name = isCommand ? first : 'ui';
  const load = commands[name];
  if (!load && !isCommand && argv.length === 0) {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (!load) {
    process.stderr.write(`deckhand: unknown command '${name}'\nRun 'deckhand --help' for the list of commands.\n`);
    return 2;
  }
  if (name === 'ui' && process.stdout.isTTY) {
    // Ink writes only the final frame when is-in-ci finds CI or CONTINUOUS_INTEGRATION set, and reads them when it
    // is first imported (below). A dashboard on a real terminal is interactive whatever the environment says.
    for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (key in process.env) process.env[key] = 'false';
  }
  const command = await load();
  const rest = isCommand ? argv.slice(1) : argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    return await command.run(values, positionals);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`deckhand: ${err.message}\nRun 'deckhand ${command.name === 'ui' ? '' : command.name + ' '}--help' for usage.\n`);
      return 2;
    }
    throw err;
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
