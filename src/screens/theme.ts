// A small semantic theme: components ask for a meaning (ok, warn, error, selected…), never for a colour, so the
// palette lives here and NO_COLOR (https://no-color.org: any non-empty value) turns every colour off while bold,
// inverse and dim keep selection and emphasis visible.

/** The meanings a piece of text can have. */
export type Tone = 'normal' | 'muted' | 'accent' | 'ok' | 'warn' | 'error' | 'heading' | 'selected' | 'badge' | 'danger-badge';

/** Props for Ink's <Text> that render a tone. */
export interface ToneStyle {
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
}

/** A resolved theme. */
export interface Theme {
  color: boolean;
  style(tone: Tone | undefined): ToneStyle;
}

const palette: Record<Tone, ToneStyle> = {
  normal: {},
  muted: { color: 'gray' },
  accent: { color: 'cyan' },
  ok: { color: 'green' },
  warn: { color: 'yellow' },
  error: { color: 'red', bold: true },
  heading: { color: 'cyan', bold: true },
  selected: { inverse: true },
  badge: { color: 'black', backgroundColor: 'cyan', bold: true },
  'danger-badge': { color: 'white', backgroundColor: 'red', bold: true },
};

// Without colour, meaning is carried by weight only; badges become inverse so they still stand out.
const monochrome: Record<Tone, ToneStyle> = {
  normal: {},
  muted: { dimColor: true },
  accent: {},
  ok: {},
  warn: { bold: true },
  error: { bold: true },
  heading: { bold: true },
  selected: { inverse: true },
  badge: { inverse: true },
  'danger-badge': { inverse: true, bold: true },
};

/** Builds a theme; `color: false` is the NO_COLOR theme. */
export function createTheme(color: boolean): Theme {
  const table = color ? palette : monochrome;
  return { color, style: (tone) => table[tone ?? 'normal'] };
}

/** The theme the environment asks for: no colour when NO_COLOR is set to anything non-empty. */
export function themeFromEnv(env: Record<string, string | undefined> = process.env): Theme {
  return createTheme(!env.NO_COLOR);
}

/** Usage above this percentage of allocatable is highlighted. */
export const hotPercent = 90;

/** The tone of a usage percentage: warn above hotPercent. */
export function percentTone(percent: number | undefined): Tone | undefined {
  return percent !== undefined && percent > hotPercent ? 'warn' : undefined;
}
