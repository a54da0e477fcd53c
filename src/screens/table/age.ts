// Sorting by an AGE column: the rows carry kubectl-style ages ("90s", "5m30s", "3d4h", "3y45d"), so they are read
// back into milliseconds; "<unknown>" and other text have no key and sort last.
const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 };

/** Milliseconds of a kubectl-style age, or undefined when it is not one. */
export function ageMs(text: string): number | undefined {
  if (!/^(\d+[smhdy])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdy])/g)) total += Number(n) * units[unit!]!;
  return total;
}
