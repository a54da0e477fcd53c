// Tiny text charts for metrics histories: block sparklines and progress bars, pure string builders
// (libraries.md §charts recommends these in-repo over blessed-contrib's widgets).

const LEVELS = '▁▂▃▄▅▆▇█';
const FILLED = '█';
const EMPTY = '░';

/** Mean of the finite values in `values`, or NaN when there are none. */
function finiteMean(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : finite.reduce((sum, value) => sum + value, 0) / finite.length;
}

/**
 * Resamples a series to `n` points: longer series average equal buckets (a spike still moves its bucket),
 * shorter series repeat each point (no invented in-between values).
 */
export function resample(series: readonly number[], n: number): number[] {
  const size = Math.max(0, Math.floor(n));
  const length = series.length;
  if (size === 0 || length === 0) return [];
  if (length === size) return [...series];
  if (length < size) return Array.from({ length: size }, (_, i) => series[Math.floor((i * length) / size)] ?? 0);
  return Array.from({ length: size }, (_, i) =>
    finiteMean(series.slice(Math.floor((i * length) / size), Math.floor(((i + 1) * length) / size))),
  );
}

/**
 * A sparkline in `▁▂▃▄▅▆▇█`, one character per value; series longer than `width` are averaged down to it,
 * shorter ones are left short. Scaled to the series' own min..max unless `scale` fixes either end; a constant
 * series is a flat `▁` line, and missing (non-finite) samples are blanks.
 */
export function sparkline(values: readonly number[], width?: number, scale: { min?: number; max?: number } = {}): string {
  const series = width !== undefined && values.length > width ? resample(values, width) : values;
  const finite = series.filter(Number.isFinite);
  if (finite.length === 0) return ' '.repeat(series.length);
  // reduce rather than spreading into Math.min, which overflows the stack on very long series.
  const low = scale.min ?? finite.reduce((a, b) => Math.min(a, b));
  const high = scale.max ?? finite.reduce((a, b) => Math.max(a, b));
  const span = high - low;
  return series
    .map((value) => {
      if (!Number.isFinite(value)) return ' ';
      const ratio = span > 0 ? Math.min(1, Math.max(0, (value - low) / span)) : 0;
      return LEVELS[Math.round(ratio * (LEVELS.length - 1))];
    })
    .join('');
}

/**
 * A bar of `width` cells like `████░░░░`, filled in proportion to done/total and rounded down, so it is full
 * only when the work is; a total of zero or less counts as complete.
 */
export function progressBar(done: number, total: number, width: number): string {
  const cells = Math.max(0, Math.floor(width));
  const filled = total > 0 ? Math.min(cells, Math.max(0, Math.floor((done * cells) / total))) : cells;
  return FILLED.repeat(filled) + EMPTY.repeat(cells - filled);
}
