// The shell's own keys, wherever the operator is: screens by number, help, the command and filter lines, back,
// quit, and `o` to come back to the runbook view after leaving it with Esc (the run went on meanwhile).
import { useDeck } from '../context.js';
import { screenIds } from '../keymap.js';
import { useKeymap } from '../use-keymap.js';

/** What the shell's keys do that only the shell knows. */
export interface ShellKeyOps {
  goto(screen: string): void;
  quit(): void;
}

/** Registers the shell's global key handlers. */
export function useShellKeys({ goto, quit }: ShellKeyOps): void {
  const { app, shell, runbooks } = useDeck();
  const back = () => {
    const s = shell.getState();
    if (s.mode === 'help') return s.actions.setMode('normal');
    if (s.detail) return s.actions.setDetail(false);
    if (app.getState().ui.filter) app.getState().actions.setFilter('');
  };
  const openRunbook = () => {
    const run = runbooks?.getState();
    if (!run) return app.getState().actions.flash('warn', 'no runbook engine in this session');
    if (!run.run && !run.starting && !run.error) return app.getState().actions.flash('info', 'no runbook has run yet: R, +/- or B starts one');
    shell.getState().actions.showRunbook(true);
  };
  useKeymap(
    {
      ...Object.fromEntries(screenIds.map((id) => [`screen.${id}`, () => goto(id)])),
      quit,
      help: () => shell.getState().actions.setMode(shell.getState().mode === 'help' ? 'normal' : 'help'),
      'command-line': () => shell.getState().actions.setMode('command', ''),
      filter: () => shell.getState().actions.setMode('filter', app.getState().ui.filter),
      back,
      'runbook.open': openRunbook,
    },
    { place: 'any', active: true },
  );
}
