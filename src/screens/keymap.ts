// Every key of the dashboard as one typed table: command, keys, description and where it applies. The handlers
// (useKeymap), the footer and the help screen all read this table, so a key cannot work without being listed, and
// read-only mode drops the mutating entries in one place (k9s's action metadata, gemini-cli's key bindings).
export { keyLabel, keyName, keyPresses, type InkKey } from './key-names.js';

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

/** Prompts that take every key until answered: only their own bindings (and Ctrl-C) work meanwhile. */
export const modalPlaces = ['type-name', 'host-key', 'passphrase', 'resume'] as const;
/** Places where typed characters are text, not commands. */
export const textPlaces: readonly Place[] = ['type-name', 'passphrase'];

/** Where keys are resolved: a screen's table view, a detail pane, help, the runbook view, or a prompt. */
export type Place = ScreenId | 'detail' | 'help' | 'runbook' | (typeof modalPlaces)[number];
type Where = Place | 'screens' | 'everywhere';

/** How help names the places that are not screens. */
export const placeTitles: Record<Exclude<Place, ScreenId>, string> = {
  detail: 'detail', help: 'help', runbook: 'runbook view', 'type-name': 'typing a name', 'host-key': 'host key prompt',
  passphrase: 'passphrase prompt', resume: 'resume offer',
};

/** Every command a key can trigger. */
export type CommandId =
  | `screen.${ScreenId}`
  | 'quit' | 'help' | 'command-line' | 'filter' | 'back'
  | 'move.up' | 'move.down' | 'move.page-up' | 'move.page-down' | 'move.top' | 'move.bottom'
  | 'sort.next' | 'sort.reverse' | 'open'
  | 'jobs.toggle-view' | 'machines.toggle-focus'
  | 'runbook.recover-node' | 'runbook.scale-up' | 'runbook.scale-down' | 'runbook.bastion-swap' | 'runbook.open'
  | 'run.confirm' | 'run.acknowledge' | 'run.skip' | 'run.retry' | 'run.rollback' | 'run.abort' | 'run.clear' | 'run.leave'
  | 'name.submit' | 'name.cancel'
  | 'host-key.trust' | 'host-key.refuse' | 'passphrase.submit' | 'passphrase.skip'
  | 'resume.resume' | 'resume.cleanup' | 'resume.discard' | 'resume.later';

/** One row of the key table. */
export interface KeyBinding {
  command: CommandId;
  /** Canonical key names (see keyName): a character, or up/down/pageup/pagedown/home/end/enter/esc/tab/ctrl+x. */
  keys: readonly string[];
  description: string;
  where: readonly Where[];
  /** Starts or drives a change to the cluster: absent in read-only mode. */
  mutating?: boolean;
  /** How the footer shows it; entries without are listed in help only. */
  footer?: { keys: string; text: string };
  group: 'Screens' | 'Moving' | 'Tables' | 'Runbooks' | 'Runbook view' | 'Prompts' | 'General';
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
  { command: 'runbook.open', keys: ['o'], description: 'open the runbook view again (the running or last run)', where: ['screens'], group: 'Runbooks' },
  { command: 'run.confirm', keys: ['y', 'enter'], description: 'confirm the step waiting for you (a dangerous step in production then asks for its target\'s name)', where: ['runbook'], mutating: true, group: 'Runbook view', footer: { keys: 'y/Enter', text: 'confirm' } },
  { command: 'run.acknowledge', keys: ['a'], description: 'acknowledge the next listed risk', where: ['runbook'], mutating: true, group: 'Runbook view', footer: { keys: 'a', text: 'ack' } },
  { command: 'run.skip', keys: ['s'], description: 'skip an optional step', where: ['runbook'], mutating: true, group: 'Runbook view' },
  { command: 'run.retry', keys: ['r'], description: 'retry a failed step, or preview a blocked one again', where: ['runbook'], mutating: true, group: 'Runbook view' },
  { command: 'run.rollback', keys: ['b'], description: 'roll back what was applied (each rollback previewed and confirmed)', where: ['runbook'], mutating: true, group: 'Runbook view', footer: { keys: 'b', text: 'roll back' } },
  { command: 'run.abort', keys: ['x'], description: 'abort the run (the journal keeps where it stopped)', where: ['runbook'], mutating: true, group: 'Runbook view', footer: { keys: 'x', text: 'abort' } },
  { command: 'run.clear', keys: ['c'], description: 'forget a finished run', where: ['runbook'], group: 'Runbook view' },
  { command: 'run.leave', keys: ['esc'], description: 'leave the view: the run goes on and keeps its journal; o comes back', where: ['runbook'], group: 'Runbook view', footer: { keys: 'Esc', text: 'leave' } },
  { command: 'name.submit', keys: ['enter'], description: 'confirm with the typed name', where: ['type-name'], mutating: true, group: 'Runbook view', footer: { keys: 'Enter', text: 'confirm' } },
  { command: 'name.cancel', keys: ['esc'], description: 'stop typing the name', where: ['type-name'], group: 'Runbook view', footer: { keys: 'Esc', text: 'cancel' } },
  { command: 'host-key.trust', keys: ['y'], description: 'trust the bastion\'s new host key and record it in deckhand\'s known_hosts', where: ['host-key'], group: 'Prompts', footer: { keys: 'y', text: 'trust' } },
  { command: 'host-key.refuse', keys: ['n', 'esc'], description: 'refuse the host key (the tunnel is not opened)', where: ['host-key'], group: 'Prompts', footer: { keys: 'n', text: 'refuse' } },
  { command: 'passphrase.submit', keys: ['enter'], description: 'unlock the identity with the typed passphrase', where: ['passphrase'], group: 'Prompts', footer: { keys: 'Enter', text: 'unlock' } },
  { command: 'passphrase.skip', keys: ['esc'], description: 'skip this identity', where: ['passphrase'], group: 'Prompts', footer: { keys: 'Esc', text: 'skip' } },
  { command: 'resume.resume', keys: ['r'], description: 'resume the unfinished run where it stopped (an applied step is re-verified, never sent again)', where: ['resume'], mutating: true, group: 'Prompts', footer: { keys: 'r', text: 'resume' } },
  { command: 'resume.cleanup', keys: ['c'], description: 'clean up: resume, then roll back what it applied', where: ['resume'], mutating: true, group: 'Prompts', footer: { keys: 'c', text: 'clean up' } },
  { command: 'resume.discard', keys: ['d'], description: 'mark the unfinished run as finished without resuming it', where: ['resume'], mutating: true, group: 'Prompts', footer: { keys: 'd', text: 'discard' } },
  { command: 'resume.later', keys: ['esc'], description: 'decide later (starting another runbook offers it again)', where: ['resume'], group: 'Prompts', footer: { keys: 'Esc', text: 'later' } },
  { command: 'back', keys: ['esc'], description: 'back: close help or the detail pane, clear the filter', where: ['screens', 'detail', 'help'], group: 'General', footer: { keys: 'Esc', text: 'back' } },
  { command: 'help', keys: ['?'], description: 'this help', where: ['everywhere'], group: 'General', footer: { keys: '?', text: 'help' } },
  { command: 'quit', keys: ['q'], description: 'quit (the terminal is restored; a running runbook is offered for resume next time)', where: ['everywhere'], group: 'General', footer: { keys: 'q', text: 'quit' } },
  // A prompt has every key to itself, but Ctrl-C still quits, so nothing can trap the operator.
  { command: 'quit', keys: ['ctrl+c'], description: 'quit, from anywhere (prompts included)', where: ['everywhere', ...modalPlaces], group: 'General' },
];

/** What decides which bindings apply. */
export interface KeyContext {
  place: Place;
  readOnly: boolean;
}

const isModal = (place: Place) => (modalPlaces as readonly string[]).includes(place);
const isScreen = (place: Place) => (screenIds as readonly string[]).includes(place);

/** Whether a binding applies in a context. */
export function applies(binding: KeyBinding, context: KeyContext): boolean {
  if (binding.mutating && context.readOnly) return false;
  const { place } = context;
  if (isModal(place)) return binding.where.includes(place);
  return binding.where.some((w) => w === 'everywhere' || w === place || (w === 'screens' && isScreen(place)));
}

/** The bindings that work in a context, in table order. */
export function bindingsFor(context: KeyContext, table: readonly KeyBinding[] = keymap): KeyBinding[] {
  return table.filter((b) => applies(b, context));
}

/** The command a key triggers in a context, if any. */
export function resolveKey(name: string, context: KeyContext, table: readonly KeyBinding[] = keymap): CommandId | undefined {
  return table.find((b) => b.keys.includes(name) && applies(b, context))?.command;
}
