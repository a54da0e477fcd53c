// Go time.Duration strings (metrics `window`, controller timeouts) and kubectl's human ages.
// Durations are carried as milliseconds, which may be fractional below 1ms; Go's own unit is the nanosecond,
// so conversions go through BigInt nanoseconds to stay exact.
// @see https://github.com/golang/go/blob/master/src/time/format.go (ParseDuration)
// @see https://github.com/golang/go/blob/master/src/time/time.go (Duration.String)

/** Thrown for text that is not a Go duration; the message matches Go's `time: invalid duration "…"` wording. */
export class DurationError extends Error {
  override name = 'DurationError';
}

const NS_PER_MS = 1_000_000n;
const MAX_DURATION_NS = 2n ** 63n - 1n;
// time.unitMap, in nanoseconds; both micro signs are accepted, as Go does.
const UNIT_NS = new Map<string, bigint>([
  ['ns', 1n], ['us', 1_000n], ['\u00b5s', 1_000n], ['\u03bcs', 1_000n], ['ms', 1_000_000n],
  ['s', 1_000_000_000n], ['m', 60_000_000_000n], ['h', 3_600_000_000_000n],
]);
// One <number><unit> component: digits, optional fraction, then a unit of anything but digits and dots.
const COMPONENT = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/** One component's value in nanoseconds, mirroring Go's leadingInt, leadingFraction and float64 fraction step. */
function componentNs(whole: string, fraction: string, unit: bigint): bigint {
  let fractionValue = 0n;
  let scale = 1;
  for (const digit of fraction) {
    // leadingFraction stops accumulating precision once another digit could overflow an int64.
    if (fractionValue > MAX_DURATION_NS / 10n) break;
    const next = fractionValue * 10n + BigInt(digit);
    if (next > MAX_DURATION_NS + 1n) break;
    fractionValue = next;
    scale *= 10;
  }
  const value = BigInt(whole || '0') * unit;
  if (fractionValue === 0n) return value;
  return value + BigInt(Math.trunc(Number(fractionValue) * (Number(unit) / scale)));
}

/**
 * Parses a Go duration (`"10m0s"`, `"1h2m3.5s"`, `"15.04s"`, `"300ms"`, `"-1.5h"`) to milliseconds.
 * @see https://github.com/golang/go/blob/master/src/time/format.go (ParseDuration)
 */
export function parseGoDuration(text: string): number {
  const invalid = (message = 'invalid duration'): DurationError =>
    new DurationError(`time: ${message} ${JSON.stringify(text)}`);
  let rest = text;
  const negative = rest.startsWith('-');
  if (negative || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0n;
  while (rest !== '') {
    const [matched = '', whole = '', fraction, unitText = ''] = COMPONENT.exec(rest) ?? [];
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    if (unitText === '') throw invalid('missing unit in duration');
    const unit = UNIT_NS.get(unitText);
    if (unit === undefined) throw invalid(`unknown unit ${JSON.stringify(unitText)} in duration`);
    total += componentNs(whole, fraction ?? '', unit);
    if (total > MAX_DURATION_NS + 1n) throw invalid();
    rest = rest.slice(matched.length);
  }
  if (!negative && total > MAX_DURATION_NS) throw invalid();
  return nsToMs(negative ? -total : total);
}

/** Converts BigInt nanoseconds to (possibly fractional) milliseconds with a single rounding. */
function nsToMs(ns: bigint): number {
  const whole = ns / NS_PER_MS;
  const rest = ns % NS_PER_MS;
  return rest === 0n ? Number(whole) : Number(whole) + Number(rest) / 1e6;
}

/** Go's fmtFrac: the last `digits` digits of `value` as a fraction without trailing zeros ("" when zero). */
function fractionDigits(value: bigint, digits: number): string {
  const text = (value % 10n ** BigInt(digits)).toString().padStart(digits, '0').replace(/0+$/, '');
  return text === '' ? '' : `.${text}`;
}

/**
 * Formats milliseconds as Go's Duration.String(): `"10m0s"`, `"20s"`, `"1h0m0s"`, `"1.5s"`, `"300ms"`, `"0s"`.
 * @see https://github.com/golang/go/blob/master/src/time/time.go (Duration.String)
 */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`duration must be a finite number of milliseconds, got ${ms}`);
  const ns = BigInt(Math.round(ms * 1e6));
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u === 0n) return '0s';
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${u / 1_000n}${fractionDigits(u, 3)}\u00b5s`;
  if (u < 1_000_000_000n) return `${sign}${u / 1_000_000n}${fractionDigits(u, 6)}ms`;
  const seconds = u / 1_000_000_000n;
  const secondsText = `${seconds % 60n}${fractionDigits(u, 9)}s`;
  const minutes = seconds / 60n;
  if (minutes === 0n) return `${sign}${secondsText}`;
  const hours = minutes / 60n;
  if (hours === 0n) return `${sign}${minutes}m${secondsText}`;
  return `${sign}${hours}h${minutes % 60n}m${secondsText}`;
}

/**
 * A kubectl-style age with ~2–3 significant figures, using HumanDuration's exact thresholds:
 * `"90s"` under 2m, `"5m30s"` under 10m, `"95m"` under 3h, `"5h3m"` under 8h, `"30h"` under 48h,
 * `"3d4h"` under 8d, `"40d"` under 2y, `"3y45d"` under 8y. Up to 2s in the future is clock skew (`"0s"`).
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/duration/duration.go (HumanDuration)
 */
export function humanAge(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/**
 * The AGE column for an RFC 3339 timestamp at `nowMs`, or `"<unknown>"` when it is missing or unparseable,
 * as kubectl's translateTimestampSince does for a zero time.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/describe/describe.go (translateTimestampSince)
 */
export function ageSince(timestamp: string | undefined, nowMs: number): string {
  return ageSinceMs(timestamp ? Date.parse(timestamp) : undefined, nowMs);
}

/** ageSince for a time already parsed (ms since the epoch): `"<unknown>"` for undefined or NaN. */
export function ageSinceMs(thenMs: number | undefined, nowMs: number): string {
  return thenMs === undefined || Number.isNaN(thenMs) ? '<unknown>' : humanAge(nowMs - thenMs);
}

/**
 * A short, steady-width countdown: `"42s"`, `"4m12s"`, `"4m05s"`, `"1h02m"`, `"2d03h"`; `"0s"` once expired.
 * Rounds partial seconds up, so it reads `"0s"` only when the time has really run out.
 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (total < 60) return `${total}s`;
  const minutes = Math.trunc(total / 60);
  if (minutes < 60) return `${minutes}m${two(total % 60)}s`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 24) return `${hours}h${two(minutes % 60)}m`;
  return `${Math.trunc(hours / 24)}d${two(hours % 24)}h`;
}
