// Subcommands are declared as data: name, summary, options (with descriptions for --help) and run().
// Argument parsing is node's own util.parseArgs in strict mode, so an unknown flag is an error.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One option of a subcommand, as parseArgs wants it plus the words --help prints. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** Shown in --help after the flag, e.g. "FILE". */
  value?: string;
  description: string;
}

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** A subcommand of deckhand. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Whether positional arguments are accepted (e.g. `runbook <id>`). */
  positionals?: boolean;
  run(values: Values, positionals: string[]): Promise<number>;
}

/** A usage error: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses argv for a command; throws UsageError for unknown flags or missing values. */
export function parseCommandArgs(command: Command, argv: string[]): { values: Values; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.default !== undefined ? { default: spec.default } : {}),
    } as NonNullable<ParseArgsConfig['options']>[string];
  }
  try {
    const parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (!command.positionals && parsed.positionals.length > 0) {
      throw new UsageError(`unexpected argument '${parsed.positionals[0]}' for 'deckhand ${command.name}'`);
    }
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(cleanParseMessage((err as Error).message, command.name));
    throw err;
  }
}

function cleanParseMessage(message: string, name: string): string {
  // parseArgs says e.g. "Unknown option '--foo'. To specify a positional argument starting with a '-', place it at
  // the end of the command after '--', as in '-- \"--foo\""; keep the first sentence.
  const first = message.split('. ')[0] ?? message;
  return `${first.replace(/\.$/, '')} for 'deckhand ${name}'`;
}

/** The --help text of one command, generated from its option table. */
export function commandHelp(command: Command): string {
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    return [flag, spec.description + (spec.default !== undefined && spec.default !== false ? ` (default ${String(spec.default)})` : '')];
  });
  const width = Math.max(0, ...rows.map(([flag]) => flag!.length));
  const lines = rows.map(([flag, text]) => `  ${flag!.padEnd(width)}  ${text}`);
  return `${command.summary}\n\nUsage: ${command.usage}\n\nOptions:\n${lines.join('\n')}\n`;
}
