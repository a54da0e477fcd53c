// Key names: how Ink's (input, key) pairs become the canonical names the key table uses (`j`, `enter`, `ctrl+c`),
// how one read from the terminal splits into presses, and how help prints a name.

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
