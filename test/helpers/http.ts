// A tiny HTTPS client for tests that talk to an API server the way any client does: over TLS with its CA and
// a bearer token. Deliberately independent of the code under test.
import { request } from 'node:https';

/** A response with its parsed JSON body (or the raw text when it is not JSON). */
export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
  text: string;
}

/** Connection details of a server under test. */
export interface Target {
  url: string;
  caPem: string;
  token: string;
}

/** Sends one request and reads the whole answer. */
export function call(
  target: Target,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  const url = new URL(path, target.url);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: target.caPem,
        headers: {
          Authorization: `Bearer ${target.token}`,
          Accept: 'application/json',
          ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
          ...headers,
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** An open watch stream: events arrive in `events`; `next()` waits for the next one. */
export interface TestWatch {
  status: number;
  events: { type: string; object: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  next(timeoutMs?: number): Promise<{ type: string; object: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  waitFor(pred: (e: { type: string; object: any }) => boolean, timeoutMs?: number): Promise<{ type: string; object: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch (`path` must carry watch=1) and parses newline-delimited JSON events. */
export function openWatch(target: Target, path: string, headers: Record<string, string> = {}): Promise<TestWatch> {
  const url = new URL(path, target.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ca: target.caPem, headers: { Authorization: `Bearer ${target.token}`, ...headers } }, (res) => {
      const events: TestWatch['events'] = [];
      let consumed = 0;
      const waiters: (() => void)[] = [];
      let buffer = '';
      let endResolve!: () => void;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let i;
        while ((i = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
      res.on('error', () => endResolve());
      const waitFor: TestWatch['waitFor'] = async (pred, timeoutMs = 5000) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          while (consumed < events.length) {
            const e = events[consumed++]!;
            if (pred(e)) return e;
          }
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`watch: no matching event within ${timeoutMs} ms (saw ${events.map((e) => e.type).join(',')})`);
          await new Promise<void>((r) => {
            const t = setTimeout(r, left);
            waiters.push(() => {
              clearTimeout(t);
              r();
            });
          });
        }
      };
      resolve({
        status: res.statusCode ?? 0,
        events,
        next: (timeoutMs) => waitFor(() => true, timeoutMs),
        waitFor,
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
