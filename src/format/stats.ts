// Small statistics over metrics histories (p95 and max per job) and the bounded history itself.
// Pure and immutable, so histories can live in the store and be compared by reference.

/**
 * The p-th percentile by the nearest-rank method: the smallest sample with at least p% of samples at or below
 * it, i.e. sorted[ceil(p/100 × n) − 1]; always an actual sample, never interpolated. NaN samples are ignored;
 * undefined for no samples.
 * @see https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  // p × n is computed before dividing so that e.g. p95 of 20 samples is exactly rank 19.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1];
}

/** The largest sample, ignoring NaN; undefined for no samples (a loop, so long histories cannot overflow the stack). */
export function max(values: readonly number[]): number | undefined {
  let largest: number | undefined;
  for (const value of values) {
    if (!Number.isNaN(value) && (largest === undefined || value > largest)) largest = value;
  }
  return largest;
}

/** A new array with `value` appended and only the newest `capacity` items kept: a ring buffer without mutation. */
export function pushBounded<T>(items: readonly T[], value: T, capacity: number): T[] {
  const size = Math.max(0, Math.floor(capacity));
  if (size === 0) return [];
  return [...items.slice(Math.max(0, items.length + 1 - size)), value];
}
