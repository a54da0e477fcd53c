// Detail panes are lists of lines built by pure functions (one per screen), so their content is tested without a
// terminal and the pane itself only scrolls.
import type { Tone } from '../theme.js';

/** One line of a detail pane. */
export interface DetailLine {
  text: string;
  tone?: Tone;
}

/** A section heading followed by its lines, or a muted `(none)` when there are none. */
export function section(title: string, lines: readonly DetailLine[], none = '(none)'): DetailLine[] {
  return [{ text: '' }, { text: title, tone: 'heading' }, ...(lines.length > 0 ? lines : [{ text: `  ${none}`, tone: 'muted' as const }])];
}

/** `label: value` pairs aligned on the colon. */
export function fields(pairs: readonly (readonly [string, string | undefined, Tone?])[]): DetailLine[] {
  const present = pairs.filter(([, value]) => value !== undefined && value !== '');
  const width = Math.max(0, ...present.map(([label]) => label.length));
  return present.map(([label, value, tone]) => ({ text: `  ${`${label}:`.padEnd(width + 1)} ${value}`, ...(tone ? { tone } : {}) }));
}
