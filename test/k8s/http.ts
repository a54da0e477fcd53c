// Plain HTTPS access to the test kube-apiserver with node:https only. The conformance suite talks to the
// server this way on purpose: it records exactly what goes over the wire (status, headers, Status bodies),
// with no client library reshaping errors in between.
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** What is needed to reach the test apiserver as one identity. */
export interface KubeCredentials {
  /** Base URL, e.g. https://127.0.0.1:43121 */
  server: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  /** Bearer token (static token file). */
  token?: string;
  /** Client certificate PEM (alternative to the token). */
  certPem?: string;
  /** Client key PEM, with certPem. */
  keyPem?: string;
}

/** A finished HTTP exchange with the apiserver. */
export interface KubeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Raw body text. */
  text: string;
  /** Parsed body when it was JSON, else undefined. */
  json: unknown;
}

/** Options of one request. */
export interface KubeRequestOptions {
  /** Object (sent as JSON) or string (sent verbatim). */
  body?: unknown;
  /** Content-Type; defaults to application/json when a body is given. */
  contentType?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Bounded so a hung server fails the test instead of the CI budget; default 30 s. */
  timeoutMs?: number;
}

/** The HTTP content types for the PATCH flavours (kubectl's names in comments). */
export const PatchType = {
  /** --type=json */
  json: 'application/json-patch+json',
  /** --type=merge */
  merge: 'application/merge-patch+json',
  /** --type=strategic (refused by custom resources with 415) */
  strategic: 'application/strategic-merge-patch+json',
  /** server-side apply */
  apply: 'application/apply-patch+yaml',
} as const;

function baseOptions(creds: KubeCredentials, method: string, path: string, headers: Record<string, string>) {
  const url = new URL(path, creds.server);
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (creds.token) h.Authorization = `Bearer ${creds.token}`;
  return {
    method,
    hostname: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    headers: h,
    ca: creds.caPem,
    cert: creds.certPem,
    key: creds.keyPem,
    // A fresh connection per request: no keep-alive agent that could hold the test process open after stop().
    agent: false as const,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sends one request and reads the whole response. Never throws for HTTP error statuses, only for I/O errors. */
export function kubeRequest(
  creds: KubeCredentials,
  method: string,
  path: string,
  options: KubeRequestOptions = {},
): Promise<KubeResponse> {
  const { body, timeoutMs = 30_000 } = options;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(baseOptions(creds, method, path, headers), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** One event of a watch stream (`{"type":"ADDED","object":{...}}`). */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/** An open watch; read events one by one with a deadline, close when done. */
export interface WatchStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Body of a non-200 answer (the server answers some watch errors with an HTTP status, not an event). */
  errorBody?: unknown;
  /** Next event, or undefined when the stream ended or nothing came within timeoutMs. */
  next(timeoutMs?: number): Promise<WatchEvent | undefined>;
  /** Events until one matches, or undefined at the deadline; the skipped ones are returned too. */
  until(match: (e: WatchEvent) => boolean, timeoutMs?: number): Promise<{ found?: WatchEvent; seen: WatchEvent[] }>;
  close(): void;
}

/**
 * Opens a watch (`path` must carry `watch=1` or be a `?watch` list URL). Newline-delimited JSON is buffered and
 * handed out by next(); the server-side timeout is the caller's `timeoutSeconds`, and close() always ends it.
 */
export function openWatch(creds: KubeCredentials, path: string, timeoutMs = 30_000): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(baseOptions(creds, 'GET', path, {}), (res: IncomingMessage) => {
      // The deadline covered only the wait for headers: a watch is legitimately idle between events.
      req.setTimeout(0);
      const queue: WatchEvent[] = [];
      const waiters: Array<(e: WatchEvent | undefined) => void> = [];
      let buffered = '';
      let ended = false;
      const push = (e: WatchEvent | undefined): void => {
        const w = waiters.shift();
        if (w) w(e);
        else if (e) queue.push(e);
      };
      const finish = (): void => {
        ended = true;
        while (waiters.length) push(undefined);
      };
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            errorBody: parseJson(text) ?? text,
            next: () => Promise.resolve(undefined),
            until: () => Promise.resolve({ seen: [] }),
            close: () => req.destroy(),
          });
        });
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line) push(JSON.parse(line) as WatchEvent);
        }
      });
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
      const next = (ms = 10_000): Promise<WatchEvent | undefined> => {
        const e = queue.shift();
        if (e) return Promise.resolve(e);
        if (ended) return Promise.resolve(undefined);
        return new Promise((res2) => {
          const timer = setTimeout(() => {
            const i = waiters.indexOf(waiter);
            if (i >= 0) waiters.splice(i, 1);
            res2(undefined);
          }, ms);
          const waiter = (ev: WatchEvent | undefined): void => {
            clearTimeout(timer);
            res2(ev);
          };
          waiters.push(waiter);
        });
      };
      resolve({
        status: 200,
        headers: res.headers,
        next,
        async until(match, ms = 10_000) {
          const deadline = Date.now() + ms;
          const seen: WatchEvent[] = [];
          for (;;) {
            const left = deadline - Date.now();
            if (left <= 0) return { seen };
            const ev = await next(left);
            if (!ev) return { seen };
            seen.push(ev);
            if (match(ev)) return { found: ev, seen };
          }
        },
        close: () => req.destroy(),
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`watch ${path}: no headers within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err));
    req.end();
  });
}
