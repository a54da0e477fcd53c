// Watch streams: newline-delimited JSON events over a chunked response, resumable from a resourceVersion,
// with BOOKMARK events on request (periodically and about 2 s before the watch's deadline, each only when the
// server's resourceVersion moved past what the watcher has, as kube-apiserver's watch cache does) and 410 Gone for
// versions older than the event window.
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Api } from './api.js';
import { ApiError, expired } from './errors.js';
import type { KubeObject } from './objects.js';
import type { Resolved } from './registry.js';
import { fieldSelector, labelSelector } from './selectors.js';
import type { StoredEvent } from './store.js';
import { toTable, type IncludeObject } from './table.js';

/** What a watch request asked for. */
export interface WatchRequest {
  api: Api;
  r: Resolved;
  ns: string | undefined;
  query: URLSearchParams;
  table: boolean;
  include: IncludeObject;
  bookmarkIntervalMs: number;
  now: () => number;
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** Serves one watch until the client goes away, the timeout passes, or the server closes. */
export function watch(req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
  const { api, r, ns, query } = w;
  const store = api.store;
  const labels = labelSelector(query.get('labelSelector'));
  const fields = fieldSelector(query.get('fieldSelector'), r.def.fieldSelectors ?? []);
  const selects = (o: KubeObject) => (ns === undefined || o.metadata.namespace === ns) && labels(o) && fields(o);
  const rvParam = query.get('resourceVersion') ?? '';
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const initialEvents = query.get('sendInitialEvents') === 'true';
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 1800);

  let replay: StoredEvent[] = [];
  let tooOld: ApiError | undefined;
  const matched = new Set<string>();
  let initial: KubeObject[] = [];
  if (rvParam === '' || rvParam === '0' || initialEvents) {
    initial = store.list(r.key, r.def.namespaced ? ns : undefined).filter(selects);
  } else {
    const rv = Number(rvParam);
    if (!Number.isFinite(rv)) throw new ApiError(400, 'BadRequest', `invalid resource version: ${rvParam}`);
    const since = store.eventsSince(r.key, rv);
    // The watch cache answers 200 and then a single ERROR event carrying the 410 (test/k8s/OBSERVED.md).
    if (since === 'expired') tooOld = expired(`too old resource version: ${rv} (${store.oldestRv(r.key)})`);
    else replay = since;
    // Objects that matched at the resume point are approximated by those that match now and existed then.
    for (const o of store.list(r.key)) if (selects(o) && Number(o.metadata.resourceVersion) <= rv) matched.add(keyOf(o));
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  // kube-apiserver flushes the headers at once, before any event (clients wait for them to consider the watch open).
  res.flushHeaders();
  let first = true;
  // The newest resourceVersion this watcher has: where it started, then each event's.
  let sent = rvParam === '' || rvParam === '0' || initialEvents ? store.currentRv : Number(rvParam);
  const write = (type: string, object: KubeObject) => {
    // A bookmark timer or a store event can come after the response ended (deadline) and before its 'close':
    // writing then is an unhandled 'error' that takes the whole simulator down.
    if (res.writableEnded || res.destroyed) return;
    sent = Math.max(sent, Number(object.metadata?.resourceVersion ?? 0));
    let payload: unknown = type === 'BOOKMARK' || type === 'ERROR' ? object : api.present(r, object);
    if (w.table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      payload = toTable(r.version, [payload as KubeObject], w.now(), w.include, { resourceVersion: object.metadata.resourceVersion }, first);
      first = false;
    }
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
  };
  const deliver = (event: StoredEvent) => {
    const key = keyOf(event.object);
    const was = matched.has(key);
    if (event.type === 'DELETED') {
      if (!was) return;
      matched.delete(key);
      write('DELETED', event.object);
      return;
    }
    if (selects(event.object)) {
      matched.add(key);
      write(was ? 'MODIFIED' : 'ADDED', event.object);
    } else if (was) {
      matched.delete(key);
      write('DELETED', event.object);
    }
  };

  if (tooOld) {
    res.end(`${JSON.stringify({ type: 'ERROR', object: tooOld.body() })}\n`);
    return;
  }
  for (const o of initial) {
    matched.add(keyOf(o));
    write('ADDED', o);
  }
  const bookmark = (extra: Record<string, string> = {}) =>
    write('BOOKMARK', {
      kind: r.def.kind,
      apiVersion: r.def.group ? `${r.def.group}/${r.version.name}` : r.version.name,
      metadata: { resourceVersion: String(store.currentRv), ...(Object.keys(extra).length ? { annotations: extra } : {}) },
    });
  // The watch cache sends a watcher only events newer than its resourceVersion, bookmarks included, so a server
  // whose revision did not move sends no bookmark (k8s.io/apiserver pkg/storage/cacher cache_watcher.go,
  // processInterval; test/k8s/OBSERVED.md).
  const periodic = () => {
    if (store.currentRv > sent) bookmark();
  };
  if (initialEvents && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  for (const e of replay) deliver(e);
  const unsubscribe = store.subscribe(r.key, deliver);
  const ticker = bookmarks ? setInterval(periodic, w.bookmarkIntervalMs) : undefined;
  // …and one about 2 s before the deadline, so the client can resume from it (cacheWatcher.nextBookmarkTime:
  // min(now + bookmarkFrequency, deadline − 2 s)).
  const beforeDeadline = bookmarks && timeoutSeconds > 2 ? setTimeout(periodic, (timeoutSeconds - 2) * 1000) : undefined;
  const timeout = setTimeout(() => {
    stop();
    res.end();
  }, timeoutSeconds * 1000);
  const stop = () => {
    unsubscribe();
    if (ticker) clearInterval(ticker);
    clearTimeout(beforeDeadline);
    clearTimeout(timeout);
  };
  req.on('close', stop);
  res.on('close', stop);
}
