// Kubernetes resource.Quantity: the full parse grammar, and the numbers kubectl top prints.
// Parsing is exact: values are held as BigInt nano-units, like upstream's fixed point, and only become
// JS numbers at the end. Canonical serialisation lives in quantity-canonical.ts.
// @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go

/** Thrown for text that is not a Kubernetes quantity; the message quotes the input and says what is wrong. */
export class QuantityError extends Error {
  override name = 'QuantityError';

  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`${JSON.stringify(input)} is not a valid quantity: ${reason} (examples: "250m", "1.5Gi", "1e3")`);
  }
}

const NANO_PER_UNIT = 1_000_000_000n;
const NANO_PER_MILLI = 1_000_000n;
// Exponents beyond this would only ever describe absurd values; refusing them keeps BigInt work bounded.
const MAX_DECIMAL_EXPONENT = 400;

// Suffix tables from apimachinery pkg/api/resource/suffix.go (newSuffixer). Maps, not objects, so that
// "constructor" and friends are not suffixes.
const DECIMAL_SUFFIXES = new Map<string, number>([
  ['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18],
]);
const BINARY_SUFFIXES = new Map<string, number>([
  ['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60],
]);
// <signedNumber> then everything else as the suffix; digits are required on at least one side of the dot.
const NUMBER_THEN_SUFFIX = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/s;
const DECIMAL_EXPONENT = /^[eE]([+-]?\d+)$/;

/** Ceiling division away from zero for a non-negative numerator and positive divisor. */
function divideRoundingUp(numerator: bigint, divisor: bigint): bigint {
  const quotient = numerator / divisor;
  return numerator % divisor === 0n ? quotient : quotient + 1n;
}

/** Splits a suffix into its power of ten and power of two, or explains why it is not one. */
function interpretSuffix(input: string, suffix: string): { ten: number; two: number } {
  const decimal = DECIMAL_SUFFIXES.get(suffix);
  if (decimal !== undefined) return { ten: decimal, two: 0 };
  const binary = BINARY_SUFFIXES.get(suffix);
  if (binary !== undefined) return { ten: 0, two: binary };
  const exponent = DECIMAL_EXPONENT.exec(suffix);
  if (exponent?.[1] !== undefined) {
    const ten = Number(exponent[1]);
    if (Math.abs(ten) > MAX_DECIMAL_EXPONENT) throw new QuantityError(input, `exponent ${ten} is out of range`);
    return { ten, two: 0 };
  }
  throw new QuantityError(
    input,
    `unknown suffix ${JSON.stringify(suffix)}; use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>`,
  );
}

/**
 * Parses a quantity to an exact count of nano-units (1 = 1e-9 of the base unit), rounding a non-zero value
 * up to at least 1n, as ParseQuantity rounds to nano scale with inf.RoundUp.
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go (ParseQuantity)
 */
export function parseQuantityNanos(text: string): bigint {
  const match = NUMBER_THEN_SUFFIX.exec(text);
  const [, sign = '', whole = '', fraction = '', suffix = ''] = match ?? [];
  if (match === null || whole.length + fraction.length === 0) {
    throw new QuantityError(text, 'expected a number such as 1, 0.5 or .5, optionally signed, then a suffix');
  }
  const { ten, two } = interpretSuffix(text, suffix);
  const digits = BigInt(whole + fraction) * 2n ** BigInt(two);
  const shift = ten + 9 - fraction.length;
  const magnitude = shift >= 0 ? digits * 10n ** BigInt(shift) : divideRoundingUp(digits, 10n ** BigInt(-shift));
  return sign === '-' ? -magnitude : magnitude;
}

/** Converts a BigInt count of sub-units to a number with a single rounding where the count allows it. */
function toNumber(count: bigint, perUnit: bigint): number {
  const magnitude = count < 0n ? -count : count;
  if (magnitude <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(count) / Number(perUnit);
  return Number(count / perUnit) + Number(count % perUnit) / Number(perUnit);
}

/** Parses any quantity to its value in base units (cores, bytes, …); `"1.5Gi"` → 1610612736. */
export function parseQuantity(text: string): number {
  return toNumber(parseQuantityNanos(text), NANO_PER_UNIT);
}

/** Parses a CPU quantity to millicores, fractional below 1m: `"123456789n"` → 123.456789, `"2"` → 2000. */
export function parseCpu(text: string): number {
  return toNumber(parseQuantityNanos(text), NANO_PER_MILLI);
}

/**
 * Parses a memory quantity to whole bytes, rounding a fraction up as Quantity.Value() does: `"3702Mi"` → 3881828352.
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go (Value)
 */
export function parseMemory(text: string): number {
  const nanos = parseQuantityNanos(text);
  const bytes = nanos < 0n ? -divideRoundingUp(-nanos, NANO_PER_UNIT) : divideRoundingUp(nanos, NANO_PER_UNIT);
  return Number(bytes);
}

// Rounds away from zero to an integer, as ScaledValue does (quantity.go), after snapping to `digitsBelow`
// decimals (nano precision) so that float noise from sums (0.1 + 0.2) does not push an exact value up by one.
function roundUpToInteger(value: number, digitsBelow = 9): number {
  if (Number.isInteger(value) || !Number.isFinite(value)) return value;
  const scale = 10 ** digitsBelow;
  const snapped = Math.round(Math.abs(value) * scale) / scale;
  return Math.sign(value) * Math.ceil(snapped);
}

/**
 * Millicores as `kubectl top` prints CPU: Quantity.MilliValue() rounds UP, so 123.456789 → `"124m"`.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/metricsutil/metrics_printer.go (printSingleResourceUsage)
 */
export function formatCpuMilli(millicores: number): string {
  return `${roundUpToInteger(millicores, 6)}m`;
}

/**
 * Bytes as `kubectl top` prints memory: Value()/(1024*1024) with Go's truncating integer division → `"2772Mi"`.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/metricsutil/metrics_printer.go (printSingleResourceUsage)
 */
export function formatMemoryMi(bytes: number): string {
  return `${Math.trunc(roundUpToInteger(bytes) / 2 ** 20)}Mi`;
}

/**
 * Usage as a truncated integer percent of allocatable, as `kubectl top node` computes it:
 * int64(float64(usage.MilliValue()) / float64(allocatable.MilliValue()) * 100), and 0 when allocatable is zero.
 * Pass millicores for CPU or bytes for memory; each side is rounded up first, as MilliValue() does.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/metricsutil/metrics_printer.go (printAllResourceUsages)
 */
export function percentOf(usage: number, allocatable: number): number {
  const available = roundUpToInteger(allocatable, 6);
  if (available === 0) return 0;
  return Math.trunc((roundUpToInteger(usage, 6) / available) * 100);
}

/** Millicores for a table: `"293m"` below one core, else cores with one decimal (`"7.8"`, `"16"`). */
export function formatCpuHuman(millicores: number): string {
  const milli = roundUpToInteger(millicores, 6);
  if (Math.abs(milli) < 1000) return `${milli}m`;
  const cores = milli / 1000;
  return Math.abs(cores) < 100 ? trimZeroDecimal(cores.toFixed(1)) : `${Math.round(cores)}`;
}

const BINARY_UNITS = ['B', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/** Bytes for a table with binary suffixes, one decimal below 10 (`"1.5Gi"`), whole above (`"11Gi"`, `"512Mi"`). */
export function formatBytesHuman(bytes: number): string {
  let unit = 0;
  let value = Math.abs(bytes);
  while (unit < BINARY_UNITS.length - 1 && Math.round(value) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  const text = unit > 0 && value < 10 ? trimZeroDecimal(value.toFixed(1)) : `${Math.round(value)}`;
  return `${bytes < 0 ? '-' : ''}${text}${BINARY_UNITS[unit]}`;
}

/** Drops a trailing ".0" so whole numbers print without a decimal. */
function trimZeroDecimal(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

export { formatCpuQuantity, formatMemoryQuantity, formatQuantityNanos } from './quantity-canonical.js';
export type { QuantityFormat } from './quantity-canonical.js';
