// The `:` command line, k9s style, as data: each command has a name, aliases, a description for help, and what it
// does through a small set of shell operations, so parsing is testable without a terminal.
import { screenIds, screenTitles, type ScreenId } from './keymap.js';

/** What a command may do; the app shell implements these. */
export interface CommandOps {
  goto(screen: ScreenId): void;
  switchContext(name: string): void;
  contexts(): readonly string[];
  currentContext(): string | undefined;
  help(): void;
  quit(): void;
  flash(level: 'info' | 'warn' | 'error', text: string): void;
}

/** One `:` command. */
export interface LineCommand {
  name: string;
  aliases: readonly string[];
  args?: string;
  description: string;
  run(ops: CommandOps, args: string[]): void;
}

const screenAliases: Record<ScreenId, readonly string[]> = {
  nodes: ['node', 'no'],
  machines: ['machine', 'ma', 'md', 'rollouts'],
  jobs: ['job', 'prowjobs', 'pj', 'usage'],
  components: ['component', 'deploy', 'deployments'],
  runbooks: ['runbook', 'rb'],
};

/** Every `:` command. */
export const lineCommands: readonly LineCommand[] = [
  ...screenIds.map((id): LineCommand => ({
    name: id,
    aliases: screenAliases[id],
    description: `go to the ${screenTitles[id]} screen`,
    run: (ops) => ops.goto(id),
  })),
  {
    name: 'ctx',
    aliases: ['context'],
    args: '<name>',
    description: 'switch to another kubeconfig context (no name: list them)',
    run: (ops, args) => {
      const [name] = args;
      const known = ops.contexts();
      if (!name) {
        ops.flash('info', `contexts: ${known.map((c) => (c === ops.currentContext() ? `${c} (current)` : c)).join(', ') || 'none known'}`);
      } else if (known.length > 0 && !known.includes(name)) {
        ops.flash('error', `no context '${name}' in the kubeconfig (known: ${known.join(', ')})`);
      } else if (name === ops.currentContext()) {
        ops.flash('info', `already on context ${name}`);
      } else {
        ops.switchContext(name);
      }
    },
  },
  { name: 'help', aliases: ['h'], description: 'the help screen', run: (ops) => ops.help() },
  { name: 'quit', aliases: ['q', 'q!', 'exit'], description: 'quit deckhand', run: (ops) => ops.quit() },
];

/** Finds a command by name or alias. */
export function findCommand(name: string): LineCommand | undefined {
  const wanted = name.toLowerCase();
  return lineCommands.find((c) => c.name === wanted || c.aliases.includes(wanted));
}

/** Runs a command line like `ctx sim`; unknown commands are reported through ops.flash. */
export function runCommandLine(line: string, ops: CommandOps): void {
  const [name, ...args] = line.trim().split(/\s+/).filter(Boolean);
  if (!name) return;
  const command = findCommand(name);
  if (!command) {
    ops.flash('error', `unknown command :${name} (try ${lineCommands.map((c) => `:${c.name}`).join(' ')})`);
    return;
  }
  command.run(ops, args);
}
