// The audit log: one JSON line per mutation deckhand makes (a request to the API server, or a local change such
// as trusting a host key), with who, where, which runbook step, the exact request and the answer's status code.
// Append-only, mode 0600 in a 0700 directory. Anything that looks like a credential is replaced before writing,
// so the log can be shared with whoever reviews an incident.
// @see https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/ (the same who/what/response idea, client side)
import { appendFile, chmod, mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { KubeRequest } from '../kube/client.js';
import type { JsonValue } from './types.js';

/** One audited mutation. */
export interface AuditEntry {
  time: string;
  osUser: string;
  /** The kubeconfig user entry of the context (the identity the API server sees is behind it). */
  kubeUser?: string;
  context?: string;
  server?: string;
  runbook: string;
  runId: string;
  step: string;
  kind: 'kube' | 'local';
  request: JsonValue;
  /** HTTP status code of the answer (0 when no answer came: network error; local actions use 0 on success). */
  code: number;
  outcome: 'ok' | 'refused' | 'error';
  error?: string;
}

/** Who and where, fixed for one run. */
export interface AuditIdentity {
  kubeUser?: string;
  context?: string;
  server?: string;
  runbook: string;
  runId: string;
}

// Keys whose values are credentials wherever they appear (headers, kubeconfig fragments, bodies).
const secretKey = /^(authorization|proxy-authorization|cookie|set-cookie|token|id-token|refresh-token|access-token|bearer|password|passphrase|secret|client-key-data|client-certificate-data|private-?key|privatekey|data|stringdata)$/i;
const bearer = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const pemBlock = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const longHex = /\b[a-f0-9]{40,}\b/gi;

/** Replaces credentials in any JSON value: secret-named keys, bearer/basic values, PEM private keys, long hex tokens. */
export function scrub(value: unknown): JsonValue {
  if (typeof value === 'string') return value.replace(pemBlock, '[REDACTED PRIVATE KEY]').replace(bearer, '$1 [REDACTED]').replace(longHex, '[REDACTED]');
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map(scrub);
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[key] = secretKey.test(key) && v !== null ? '[REDACTED]' : scrub(v);
    }
    return out;
  }
  return String(value);
}

/** A kube request as the audit log records it: method, path, query, content type, body (scrubbed). */
export function auditRequest(request: KubeRequest): JsonValue {
  return scrub({ method: request.method, path: request.path, query: request.query ?? {}, contentType: request.contentType ?? null, body: request.body ?? null });
}

/** An append-only audit log file. */
export interface AuditLog {
  readonly file: string;
  append(entry: Omit<AuditEntry, 'time' | 'osUser'>): Promise<void>;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** Opens (creates on first write) the audit log at `file`; `now` stamps entries. */
export function openAuditLog(file: string, now: () => number = Date.now): AuditLog {
  let prepared: Promise<void> | undefined;
  const prepare = async () => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  };
  return {
    file,
    async append(entry) {
      await (prepared ??= prepare());
      const line: AuditEntry = { time: new Date(now()).toISOString(), osUser: osUser(), ...entry, request: scrub(entry.request), ...(entry.error ? { error: String(scrub(entry.error)) } : {}) };
      await appendFile(file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
      // appendFile's mode applies only when it creates the file; an older file with a laxer mode is tightened.
      if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    },
  };
}

/** The per-step part of an entry; identity is bound once per run. */
export type StepAuditEntry = Pick<AuditEntry, 'step' | 'kind' | 'request' | 'code' | 'outcome'> & { error?: string };

/** An audit log with the run's identity filled in. */
export interface BoundAudit {
  append(entry: StepAuditEntry): Promise<void>;
}

/** Binds a log to one run's identity. */
export function bindAudit(log: AuditLog, identity: AuditIdentity): BoundAudit {
  return { append: (entry) => log.append({ ...identity, ...entry }) };
}
