// Typing on the filter line (`/`, applied as you type) and the command line (`:`, run on Enter, Tab completes).
// The dispatcher sends keys here while one of those lines is open; every command key is off meanwhile, so letters
// are text, not commands.
import { findCommand, lineCommands } from '../commands.js';
import type { Deck } from '../context.js';

/** Completes a command line: a unique command prefix, or a context name after `ctx `. */
export function completeCommand(line: string, contexts: readonly string[]): string {
  const match = /^(\S+)\s+(\S*)$/.exec(line);
  if (match && findCommand(match[1]!)?.name === 'ctx') {
    const options = contexts.filter((c) => c.startsWith(match[2]!));
    return options.length === 1 ? `${match[1]} ${options[0]}` : line;
  }
  if (/\s/.test(line)) return line;
  const names = lineCommands.map((c) => c.name).filter((n) => n.startsWith(line));
  return names.length === 1 ? `${names[0]}${findCommand(names[0]!)?.args ? ' ' : ''}` : line;
}

/** Keeps printable characters of typed or pasted input. */
const printable = (input: string) => [...input].filter((ch) => ch >= ' ' && ch !== '\x7f').join('');

/** What the input line does besides editing text. */
export interface InputLineOps {
  run(line: string): void;
  quit(): void;
}

/** Applies one key (canonical `name`, raw `text`) to the open filter or command line. */
export function inputLineKey(deck: Deck, name: string, text: string, ops: InputLineOps): void {
  const { actions, mode, input, session } = deck.shell.getState();
  const setFilter = deck.app.getState().actions.setFilter;
  const update = (next: string) => {
    actions.setInput(next);
    if (mode === 'filter') setFilter(next);
  };
  if (name === 'ctrl+c') return ops.quit();
  if (name === 'esc') {
    if (mode === 'filter') setFilter('');
    return actions.setMode('normal', '');
  }
  if (name === 'enter') {
    actions.setMode('normal', '');
    if (mode === 'command') ops.run(input);
    return;
  }
  if (name === 'backspace') {
    if (input === '' && mode === 'command') return actions.setMode('normal', '');
    return update(input.slice(0, -1));
  }
  if (name === 'tab') return mode === 'command' ? update(completeCommand(input, session.contexts)) : undefined;
  if (name !== text || name.startsWith('ctrl+')) return;
  update(input + printable(text));
}
