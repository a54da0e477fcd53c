// Canonical Quantity strings, so the simulated metrics-server emits exactly what a real one does:
// the mantissa is an integer and the suffix is the largest that keeps the value exact.
// @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go (CanonicalizeBytes)
// @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/amount.go (AsCanonicalBytes)
// @see https://github.com/kubernetes-sigs/metrics-server/blob/master/pkg/storage/types.go (resourceUsage)

/** The two formats a Quantity remembers: powers of 1000 (`"250m"`, `"2k"`) or powers of 1024 (`"3702Mi"`). */
export type QuantityFormat = 'DecimalSI' | 'BinarySI';

const NANO_PER_UNIT = 1_000_000_000n;
const DECIMAL_SUFFIX_BY_EXPONENT = new Map<number, string>([
  [-9, 'n'], [-6, 'u'], [-3, 'm'], [0, ''], [3, 'k'], [6, 'M'], [9, 'G'], [12, 'T'], [15, 'P'], [18, 'E'],
]);
const LARGEST_DECIMAL_EXPONENT = 18;
const BINARY_SUFFIX_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/** Decimal canonical form: strip factors of ten, then step the exponent down to a multiple of three. */
function canonicalDecimal(nanos: bigint): string {
  if (nanos === 0n) return '0';
  let mantissa = nanos < 0n ? -nanos : nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  // Upstream has no suffix above E; keep the value exact by growing the mantissa instead.
  const target = Math.min(exponent - (((exponent % 3) + 3) % 3), LARGEST_DECIMAL_EXPONENT);
  mantissa *= 10n ** BigInt(exponent - target);
  return `${nanos < 0n ? '-' : ''}${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(target) ?? ''}`;
}

/**
 * Binary canonical form. As upstream, values strictly between -1024 and 1024, and values that are not whole
 * units, fall back to decimal (so 1000 bytes is `"1k"` and 1500 bytes is `"1500"`).
 */
function canonicalBinary(nanos: bigint): string {
  const magnitude = nanos < 0n ? -nanos : nanos;
  if (magnitude < 1024n * NANO_PER_UNIT || magnitude % NANO_PER_UNIT !== 0n) return canonicalDecimal(nanos);
  let amount = magnitude / NANO_PER_UNIT;
  let power = 0;
  while (power < BINARY_SUFFIX_BY_POWER.length - 1 && amount % 1024n === 0n) {
    amount /= 1024n;
    power += 1;
  }
  return `${nanos < 0n ? '-' : ''}${amount}${BINARY_SUFFIX_BY_POWER[power]}`;
}

/** Serialises an exact nano-unit count (see parseQuantityNanos) in canonical form for the given format. */
export function formatQuantityNanos(nanos: bigint, format: QuantityFormat): string {
  return format === 'BinarySI' ? canonicalBinary(nanos) : canonicalDecimal(nanos);
}

/** Converts a finite number of base units times `nanosPerUnit` to whole nano-units, rounding float noise away. */
function toNanos(value: number, nanosPerUnit: number, what: string): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite number, got ${value}`);
  if (Number.isInteger(value)) return BigInt(value) * BigInt(nanosPerUnit);
  return BigInt(Math.round(value * nanosPerUnit));
}

/**
 * Millicores as metrics-server serialises CPU (a nanocore DecimalSI Quantity):
 * 123.456789 → `"123456789n"`, 250 → `"250m"`, 2000 → `"2"`.
 */
export function formatCpuQuantity(millicores: number): string {
  return canonicalDecimal(toNanos(millicores, 1_000_000, 'millicores'));
}

/** Bytes as metrics-server serialises memory (a BinarySI Quantity): `"3702Mi"`, `"1234Ki"`, or plain `"1500"`. */
export function formatMemoryQuantity(bytes: number): string {
  return canonicalBinary(toNanos(bytes, 1_000_000_000, 'bytes'));
}
