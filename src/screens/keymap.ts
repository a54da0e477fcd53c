// Every key of the dashboard as one typed table: command, keys, description and where it applies. The handlers
// (useKeymap), the footer and the help screen all read this table, so a key cannot work without being listed, and
// read-only mode drops the mutating entries in one place (k9s's action metadata, gemini-cli's key bindings).

/** The five screens, in the order of their number keys. */
export const screenIds = ['nodes', 'machines', 'jobs', 'components', 'runbooks'] as const;
/** One of the screens. */
export type ScreenId = (typeof screenIds)[number];

/** Screen titles for the tab bar and the help screen. */
export const screenTitles: Record<ScreenId, string> = {
  nodes: 'Nodes',
  machines: 'Machines',
  jobs: 'Prow jobs',
  components: 'Prow components',
  runbooks: 'Runbooks',
};

/** Where keys are resolved: a screen's table view, any screen's detail pane, or the help screen. */
export type Place = ScreenId | 'detail' | 'help';
type Where = Place | 'screens' | 'everywhere';

/** Every command a key can trigger. */
export type CommandId =
  | `screen.${ScreenId}`
  | 'quit' | 'help' | 'command-line' | 'filter' | 'back'
  | 'move.up' | 'move.down' | 'move.page-up' | 'move.page-down' | 'move.top' | 'move.bottom'
  | 'sort.next' | 'sort.reverse' | 'open'
  | 'jobs.toggle-view' | 'machines.toggle-focus'
  | 'runbook.recover-node' | 'runbook.scale-up' | 'runbook.scale-down' | 'runbook.bastion-swap';

/** One row of the key table. */
export interface KeyBinding {
  command: CommandId;
  /** Canonical key names (see keyName): a character, or up/down/pageup/pagedown/home/end/enter/esc/tab/ctrl+x. */
  keys: readonly string[];
  description: string;
  where: readonly Where[];
  /** Starts a change to the cluster: absent in read-only mode. */
  mutating?: boolean;
  /** How the footer shows it; entries without are listed in help only. */
  footer?: { keys: string; text: string };
  group: 'Screens' | 'Moving' | 'Tables' | 'Runbooks' | 'General';
}

const screenKey = (id: ScreenId, n: number): KeyBinding => ({
  command: `screen.${id}`,
  keys: [String(n)],
  description: `${screenTitles[id]} screen`,
  where: ['everywhere'],
  group: 'Screens',
  ...(n === 1 ? { footer: { keys: '1-5', text: 'screens' } } : {}),
});

/** The key table. */
export const keymap: readonly KeyBinding[] = [
  ...screenIds.map((id, i) => screenKey(id, i + 1)),
  { command: 'command-line', keys: [':'], description: 'command line: :nodes :machines :jobs :components :runbooks :ctx <name> :quit', where: ['screens', 'detail'], group: 'Screens', footer: { keys: ':', text: 'cmd' } },
  { command: 'move.up', keys: ['up', 'k'], description: 'move up (scroll in a detail pane)', where: ['screens', 'detail', 'help'], group: 'Moving', footer: { keys: '↑↓jk', text: 'move' } },
  { command: 'move.down', keys: ['down', 'j'], description: 'move down', where: ['screens', 'detail', 'help'], group: 'Moving' },
  { command: 'move.page-up', keys: ['pageup', 'ctrl+b'], description: 'one page up', where: ['screens', 'detail', 'help'], group: 'Moving' },
  { command: 'move.page-down', keys: ['pagedown', 'ctrl+f'], description: 'one page down', where: ['screens', 'detail', 'help'], group: 'Moving' },
  { command: 'move.top', keys: ['g', 'home'], description: 'first row', where: ['screens', 'detail', 'help'], group: 'Moving' },
  { command: 'move.bottom', keys: ['G', 'end'], description: 'last row', where: ['screens', 'detail', 'help'], group: 'Moving' },
  { command: 'filter', keys: ['/'], description: 'filter: substring of the visible columns; `column:text` for one column; Esc clears', where: ['nodes', 'machines', 'jobs', 'components'], group: 'Tables', footer: { keys: '/', text: 'filter' } },
  { command: 'sort.next', keys: ['s'], description: 'sort by the next column', where: ['nodes', 'machines', 'jobs', 'components'], group: 'Tables', footer: { keys: 's/S', text: 'sort' } },
  { command: 'sort.reverse', keys: ['S'], description: 'reverse the sort', where: ['nodes', 'machines', 'jobs', 'components'], group: 'Tables' },
  { command: 'open', keys: ['enter'], description: 'open the detail pane of the selected row', where: ['screens'], group: 'Tables', footer: { keys: 'Enter', text: 'detail' } },
  { command: 'jobs.toggle-view', keys: ['tab'], description: 'Prow jobs: switch between jobs and usage by job name', where: ['jobs'], group: 'Tables', footer: { keys: 'Tab', text: 'jobs/usage' } },
  { command: 'machines.toggle-focus', keys: ['tab'], description: 'Machines: switch between the machines table and the rollouts', where: ['machines'], group: 'Tables', footer: { keys: 'Tab', text: 'machines/rollouts' } },
  { command: 'runbook.recover-node', keys: ['R'], description: 'recover-node for the selected not-ready node (or its machine)', where: ['nodes', 'machines', 'runbooks'], mutating: true, group: 'Runbooks', footer: { keys: 'R', text: 'recover' } },
  { command: 'runbook.scale-up', keys: ['+'], description: 'scale-md: one more replica for the selected MachineDeployment', where: ['machines', 'runbooks'], mutating: true, group: 'Runbooks', footer: { keys: '+/-', text: 'scale' } },
  { command: 'runbook.scale-down', keys: ['-'], description: 'scale-md: one replica less for the selected MachineDeployment', where: ['machines', 'runbooks'], mutating: true, group: 'Runbooks' },
  { command: 'runbook.bastion-swap', keys: ['B'], description: 'bastion-swap: replace or recreate the bastion without losing the API', where: ['runbooks'], mutating: true, group: 'Runbooks', footer: { keys: 'B', text: 'bastion-swap' } },
  { command: 'back', keys: ['esc'], description: 'back: close help or the detail pane, clear the filter', where: ['everywhere'], group: 'General', footer: { keys: 'Esc', text: 'back' } },
  { command: 'help', keys: ['?'], description: 'this help', where: ['everywhere'], group: 'General', footer: { keys: '?', text: 'help' } },
  { command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit (the terminal is restored)', where: ['everywhere'], group: 'General', footer: { keys: 'q', text: 'quit' } },
];

/** What decides which bindings apply. */
export interface KeyContext {
  place: Place;
  readOnly: boolean;
}

/** Whether a binding applies in a context. */
export function applies(binding: KeyBinding, context: KeyContext): boolean {
  if (binding.mutating && context.readOnly) return false;
  const { place } = context;
  return binding.where.some((w) => w === 'everywhere' || w === place || (w === 'screens' && place !== 'detail' && place !== 'help'));
}

/** The bindings that work in a context, in table order. */
export function bindingsFor(context: KeyContext, table: readonly KeyBinding[] = keymap): KeyBinding[] {
  return table.filter((b) => applies(b, context));
}

/** The command a key triggers in a context, if any. */
export function resolveKey(name: string, context: KeyContext, table: readonly KeyBinding[] = keymap): CommandId | undefined {
  return table.find((b) => b.keys.includes(name) && applies(b, context))?.command;
}

/** The subset of Ink's key flags keyName reads. */
export interface InkKey {
  upArrow: boolean; downArrow: boolean; leftArrow: boolean; rightArrow: boolean;
  pageUp: boolean; pageDown: boolean; home: boolean; end: boolean;
  return: boolean; escape: boolean; tab: boolean; backspace: boolean; delete: boolean;
  ctrl: boolean; shift: boolean;
}

const named: [keyof InkKey, string][] = [
  ['upArrow', 'up'], ['downArrow', 'down'], ['leftArrow', 'left'], ['rightArrow', 'right'], ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'], ['home', 'home'], ['end', 'end'], ['return', 'enter'], ['escape', 'esc'], ['tab', 'tab'],
  // Terminals send DEL (0x7f) for the backspace key, which Ink reports as `delete`.
  ['backspace', 'backspace'], ['delete', 'backspace'],
];

/** The canonical name of a key press from Ink's (input, key). */
export function keyName(input: string, key: InkKey): string {
  for (const [flag, name] of named) if (key[flag]) return flag === 'tab' && key.shift ? 'shift+tab' : name;
  if (key.ctrl && input) return `ctrl+${input}`;
  return input;
}

const controls: Record<string, string> = { '\t': 'tab', '\r': 'enter', '\n': 'enter', '\x7f': 'backspace', '\b': 'backspace' };

/**
 * The key presses in one read from the terminal, each with its canonical name and its text: Ink splits input only at
 * escape sequences, so fast typing, a paste or tmux's send-keys can deliver `jj` or `:ctx sim\r` as one input.
 */
export function keyPresses(input: string, key: InkKey): { name: string; text: string }[] {
  const flags = named.some(([flag]) => key[flag]) || key.ctrl;
  if (flags || [...input].length <= 1) return [{ name: keyName(input, key), text: input }];
  return [...input].map((ch) => ({ name: controls[ch] ?? ch, text: ch }));
}

const pretty: Record<string, string> = {
  up: '↑', down: '↓', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End', enter: 'Enter', esc: 'Esc', tab: 'Tab',
};

/** A key name as help shows it: `↑`, `PgUp`, `Ctrl-C`. */
export function keyLabel(name: string): string {
  if (name.startsWith('ctrl+')) return `Ctrl-${name.slice(5).toUpperCase()}`;
  return pretty[name] ?? name;
}
