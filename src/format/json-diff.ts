// A readable, path-by-path diff of two JSON documents, used to preview a patch before it is applied:
//   ~ spec.replicas: 2 → 3      + spec.paused: true      - metadata.annotations["cluster.x-k8s.io/paused"]
// Arrays are compared index by index (no move detection); a property whose value is undefined counts as
// absent, as JSON.stringify drops it.

import { truncate } from './text.js';

/** One difference at a path: a changed value, an added property or element, or a removed one. */
export type JsonDiffEntry =
  | { readonly kind: 'changed'; readonly path: string; readonly before: unknown; readonly after: unknown }
  | { readonly kind: 'added'; readonly path: string; readonly after: unknown }
  | { readonly kind: 'removed'; readonly path: string; readonly before: unknown };

const ROOT = '(root)';
const PLAIN_KEY = /^[A-Za-z_][\w-]*$/;

/** True for a JSON object (not null, not an array). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Appends a key or index to a path: `spec.replicas`, `items[2]`, `labels["app.kubernetes.io/name"]`. */
function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Defined own properties, in insertion order. */
function definedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}

/** Walks both values in step, appending entries for every difference below `path`. */
function walk(before: unknown, after: unknown, path: string, out: JsonDiffEntry[]): void {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...definedKeys(before), ...definedKeys(after)])];
    for (const key of keys) compareChild(before[key], after[key], childPath(path, key), out);
  } else if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
      compareChild(i < before.length ? before[i] : undefined, i < after.length ? after[i] : undefined, childPath(path, i), out);
    }
  } else if (before !== after) {
    out.push({ kind: 'changed', path: path || ROOT, before, after });
  }
}

/** Classifies one child as added, removed, or (when present on both sides) walks into it. */
function compareChild(before: unknown, after: unknown, path: string, out: JsonDiffEntry[]): void {
  if (before === undefined && after !== undefined) out.push({ kind: 'added', path, after });
  else if (after === undefined && before !== undefined) out.push({ kind: 'removed', path, before });
  else walk(before, after, path, out);
}

/** The differences between two JSON values, in document order (keys of `before` first, then new keys). */
export function diffJson(before: unknown, after: unknown): JsonDiffEntry[] {
  const out: JsonDiffEntry[] = [];
  walk(before, after, '', out);
  return out;
}

/** Compact JSON for one value, shortened to `width` cells. */
function renderValue(value: unknown, width: number): string {
  return truncate(JSON.stringify(value) ?? String(value), width);
}

/** One line per entry: `~ path: before → after`, `+ path: value`, `- path`; values cut to `valueWidth` cells. */
export function formatJsonDiff(entries: readonly JsonDiffEntry[], valueWidth = 60): string[] {
  return entries.map((entry) => {
    switch (entry.kind) {
      case 'changed':
        return `~ ${entry.path}: ${renderValue(entry.before, valueWidth)} → ${renderValue(entry.after, valueWidth)}`;
      case 'added':
        return `+ ${entry.path}: ${renderValue(entry.after, valueWidth)}`;
      case 'removed':
        return `- ${entry.path}`;
    }
  });
}
