// Typing on the filter line (`/`, applied as you type) and the command line (`:`, run on Enter, Tab completes).
// Active only in those modes; every other key handler is off meanwhile, so letters are text, not commands.
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { findCommand, lineCommands } from '../commands.js';
import { useDeck } from '../context.js';
import { keyName } from '../keymap.js';

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

/** Binds the keys of the filter and command lines; `run` executes a command line, `quit` quits. */
export function useInputLine(run: (line: string) => void, quit: () => void): void {
  const { useShell, app, shell } = useDeck();
  const mode = useShell((s) => s.mode);
  const ref = useRef({ run, quit });
  ref.current = { run, quit };
  const onInput = useCallback(
    (input: string, key: Key) => {
      const { actions, mode: current, input: text, session } = shell.getState();
      const setFilter = app.getState().actions.setFilter;
      const update = (next: string) => {
        actions.setInput(next);
        if (current === 'filter') setFilter(next);
      };
      const name = keyName(input, key);
      if (name === 'ctrl+c') return ref.current.quit();
      if (name === 'esc') {
        if (current === 'filter') setFilter('');
        return actions.setMode('normal', '');
      }
      if (name === 'enter') {
        actions.setMode('normal', '');
        if (current === 'command') ref.current.run(text);
        return;
      }
      if (name === 'backspace') {
        if (text === '' && current === 'command') return actions.setMode('normal', '');
        return update(text.slice(0, -1));
      }
      if (name === 'tab') return current === 'command' ? update(completeCommand(text, session.contexts)) : undefined;
      if (key.ctrl || key.meta || name !== input) return;
      update(text + printable(input));
    },
    [app, shell],
  );
  useInput(onInput, { isActive: mode === 'filter' || mode === 'command' });
}
