// Names, ids and hashes for simulated objects, all drawn from the scenario's seeded random source so that a run
// is reproducible (no Math.random): UUIDs for ProwJobs and servers, Kubernetes-style name suffixes, build ids.

/** A seeded source of numbers in [0, 1). */
export type Random = () => number;

// k8s.io/apimachinery/pkg/util/rand: consonants and digits that cannot spell words.
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** A 5-character suffix as `generateName` and CAPI's `{{ .random }}` produce (e.g. `xx8k7`). */
export function nameSuffix(random: Random, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphanums[Math.floor(random() * alphanums.length)];
  return out;
}

/** A version-4 UUID from the seeded source. */
export function uuid(random: Random): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const variant = '89ab'[Math.floor(random() * 4)];
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

/** Lowercase hex of a given length (git SHAs, event name suffixes). */
export function hexString(random: Random, length: number): string {
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

/** An integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/**
 * A Prow build id: a snowflake (ms since Twitter's epoch << 22 | sequence), 19 digits, as Prow's tot/snowflake
 * build ids look. @see kubernetes-sigs/prow pkg/pjutil/tot.go (snowflake ids)
 */
export function buildId(nowMs: number, random: Random): string {
  const epoch = 1288834974657n;
  return ((BigInt(Math.floor(nowMs)) - epoch) * 4194304n + BigInt(Math.floor(random() * 4194304))).toString();
}

/** 32-bit FNV-1a of a string: a stable seed for per-object variation (usage wobble, job outcomes). */
export function fnv32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A number in [0, 1) derived from a string, for decisions that must not depend on call order. */
export function unitHash(text: string): number {
  return fnv32(text) / 4294967296;
}

/**
 * rand.SafeEncodeString: maps each character onto the alphanumerics that cannot form words, as the
 * Deployment and MachineDeployment controllers encode their template hashes.
 * @see k8s.io/apimachinery/pkg/util/rand/rand.go
 */
export function safeEncode(text: string): string {
  return [...text].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

/** Canonical JSON (sorted keys) so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A template hash label value (`machine-template-hash`, `pod-template-hash`): FNV-32a of the template, safe-encoded,
 * like ComputeHash/ComputeSpewHash + SafeEncodeString upstream.
 * @see kubernetes-sigs/cluster-api internal/controllers/machinedeployment/mdutil/util.go (ComputeSpewHash)
 */
export function templateHash(template: unknown): string {
  return safeEncode(String(fnv32(canonicalJson(template))));
}
