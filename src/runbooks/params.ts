// Runbook parameters are declared as data (ParamSpec) and validated here, before anything is read or changed:
// names as Kubernetes names, replica counts as whole numbers within 0..max, public IPs as IPv4/IPv6 literals,
// timeouts as Go durations. Values arrive as strings (CLI flags) or numbers (TUI requests).
// @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ (DNS subdomain names)
import { canonicalIp } from '../format/cidr.js';
import { parseGoDuration } from '../format/duration.js';
import type { JsonValue, ParamSpec, Runbook, RunProfile } from './types.js';

/** Raw parameter values, keyed by parameter name. */
export type RawParams = Readonly<Record<string, string | number | boolean | undefined>>;

/** Validation result: typed values, or every problem found. */
export type ParamResult = { ok: true; params: Record<string, JsonValue> } | { ok: false; errors: string[] };

const dnsSubdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Parses one value of a parameter; throws Error with a message naming the flag. */
export function parseParam(spec: ParamSpec, raw: string | number | boolean, profile: RunProfile): JsonValue {
  const flag = `--${spec.flag}`;
  const text = String(raw).trim();
  switch (spec.kind) {
    case 'name':
      if (!dnsSubdomain.test(text)) throw new Error(`${flag} expects a Kubernetes object name (lowercase letters, digits, '-' and '.'), got ${JSON.stringify(text)}`);
      return text;
    case 'int': {
      if (!/^-?\d+$/.test(text)) throw new Error(`${flag} expects a whole number, got ${JSON.stringify(text)}`);
      const n = Number(text);
      const min = spec.min ?? 0;
      const max = spec.max?.(profile);
      if (n < min) throw new Error(`${flag} must be at least ${min}, got ${n}`);
      if (max !== undefined && n > max) throw new Error(`${flag} must be at most ${max} (the profile's limit), got ${n}`);
      return n;
    }
    case 'ip':
      try {
        return canonicalIp(text);
      } catch (err) {
        throw new Error(`${flag}: ${(err as Error).message}`);
      }
    case 'duration': {
      let ms: number;
      try {
        ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseGoDuration(text);
      } catch (err) {
        throw new Error(`${flag}: ${(err as Error).message} (e.g. 10m, 15m, 90s)`);
      }
      if (ms < 1000 || ms % 1000 !== 0) throw new Error(`${flag} must be whole seconds of at least 1s, got ${JSON.stringify(text)}`);
      return ms / 1000;
    }
    case 'image':
      if (!text || /\s/.test(text)) throw new Error(`${flag} expects an image name or UUID without spaces, got ${JSON.stringify(text)}`);
      return text;
  }
}

/** Validates raw values against a runbook's parameters (defaults applied, unknown names refused). */
export function validateParams(runbook: Pick<Runbook, 'params' | 'checkParams'>, raw: RawParams, profile: RunProfile): ParamResult {
  const errors: string[] = [];
  const params: Record<string, JsonValue> = {};
  const known = new Set(runbook.params.map((p) => p.name));
  for (const name of Object.keys(raw)) {
    if (raw[name] !== undefined && !known.has(name)) errors.push(`unknown parameter ${name}`);
  }
  for (const spec of runbook.params) {
    const given = raw[spec.name];
    const fallback = typeof spec.default === 'function' ? spec.default(profile) : spec.default;
    const value = given === undefined || given === '' ? fallback : given;
    if (value === undefined) {
      if (spec.required) errors.push(`--${spec.flag} is required (${spec.description})`);
      continue;
    }
    try {
      params[spec.name] = parseParam(spec, value, profile);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length === 0) errors.push(...(runbook.checkParams?.(params) ?? []));
  return errors.length ? { ok: false, errors } : { ok: true, params };
}

/** `--md prow-md-0 --replicas 3`: the parameters as flags, for summaries and the journal's description. */
export function describeParams(runbook: Pick<Runbook, 'params'>, params: Readonly<Record<string, JsonValue>>): string {
  return runbook.params
    .filter((p) => params[p.name] !== undefined)
    .map((p) => `--${p.flag} ${String(params[p.name])}`)
    .join(' ');
}
