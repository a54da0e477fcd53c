// Summaries of repeated measurements: median with min and max (what the results show), and percentiles.

/** A measured quantity over several runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
  unit: string;
}

/** The p-th percentile (0–100) by nearest rank of the sorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Median (mean of the two middle values for an even count), min and max. */
export function summarize(values: readonly number[], unit: string): Summary {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { median, min: sorted[0] ?? NaN, max: sorted[n - 1] ?? NaN, runs: n, unit };
}

/** Rounds for the results files: three significant digits are more than these measurements carry. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 4)));
}
