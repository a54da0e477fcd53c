// The door to @kubernetes/client-node (with kubeconfig-loader.ts, its KubeConfig ported): kubeconfig loading (never
// written back), the proxy set in memory, JSON requests through the client's own request machinery, and watch
// streams. Everything else in deckhand talks to the KubeClient interface below, so a library upgrade touches these
// two files only. Only leaf modules of client-node are imported: its root loads the whole generated API (~40 MB RSS
// and ~22 MB heap in a process that imports this file), which deckhand never calls.
// @see https://github.com/kubernetes-client/javascript/blob/1.4.0/src/config.ts (createAgent, applySecurityAuthentication)
import { Agent as HttpsAgent } from 'node:https';
import type { Agent } from 'node:http';
import { dirname } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { HttpMethod, IsomorphicFetchHttpLibrary } from '@kubernetes/client-node/dist/gen/http/http.js';
import { ServerConfiguration } from '@kubernetes/client-node/dist/gen/servers.js';
import { Watch } from '@kubernetes/client-node/dist/watch.js';
import { SocksProxyAgent } from 'socks-proxy-agent';
import type { ConnectionTarget, KubeClient, KubeRequest, KubeResponse, WatchStream } from './client-api.js';
import { describeRequest, KubeError, networkError, statusError } from './errors.js';
import { readKubeconfigTexts, type KubeconfigSource } from './kubeconfig.js';
import { Kubeconfig, type Cluster, type KubeconfigAuth } from './kubeconfig-loader.js';

export type { ConnectionTarget, KubeClient, KubeRequest, KubeResponse, WatchStream } from './client-api.js';

/** How to connect: which kubeconfig and context, and whether to go through a SOCKS tunnel. */
export interface ConnectOptions extends KubeconfigSource {
  context?: string;
  /** `socks5h://127.0.0.1:PORT` to tunnel; null for direct (drops the kubeconfig's proxy-url); undefined keeps it. */
  proxyUrl?: string | null;
  /** Share one keep-alive agent between requests (not watches); default true. */
  keepAlive?: boolean;
  requestTimeoutMs?: number;
}

/** Loads the kubeconfig, picks the context and returns a client; throws KubeError for a bad file or context. */
export function createClient(options: ConnectOptions = {}): KubeClient {
  const { config: kc, files } = loadKubeconfig(options);
  const context = pickContext(kc, options.context, files);
  const ctx = kc.getContextObject(context)!;
  const base = kc.getCluster(ctx.cluster);
  if (!base) throw new KubeError('kubeconfig', `kubeconfig ${files.join(':')}: context "${context}" names cluster "${ctx.cluster}", which is not defined`);
  if (ctx.user && !kc.getUser(ctx.user)) {
    throw new KubeError('kubeconfig', `kubeconfig ${files.join(':')}: context "${context}" names user "${ctx.user}", which is not defined`);
  }
  // Cluster fields are readonly in the types only; replacing the object is the supported way (libraries.md §1.1).
  const proxyUrl = options.proxyUrl === undefined ? base.proxyUrl : (options.proxyUrl ?? undefined);
  const cluster: Cluster = { ...base, proxyUrl };
  kc.clusters = kc.clusters.map((c) => (c.name === base.name ? cluster : c));
  const target: ConnectionTarget = {
    server: cluster.server.replace(/\/+$/, ''),
    ...(proxyUrl ? { proxyUrl } : {}),
    context,
    cluster: cluster.name,
    user: ctx.user,
    ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
    files,
  };
  return new ClientNodeClient(kc, target, options.keepAlive ?? true, options.requestTimeoutMs ?? 30_000);
}

/** Parses and merges the files; the first file to define a name (or current-context) wins, as in kubectl. */
function loadKubeconfig(source: KubeconfigSource): { config: Kubeconfig; files: string[] } {
  const merged = new Kubeconfig();
  let current = '';
  const texts = readKubeconfigTexts(source);
  for (const { file, text } of texts) {
    const kc = new Kubeconfig();
    if (!text.trim()) throw new KubeError('kubeconfig', `kubeconfig ${file}: malformed: the file is empty`);
    try {
      kc.loadFromString(text);
    } catch (err) {
      const reason = ((err as Error).message ?? String(err)).split('\n')[0];
      throw new KubeError('kubeconfig', `kubeconfig ${file}: malformed: ${reason}`);
    }
    if (kc.clusters.length + kc.contexts.length + kc.users.length === 0) {
      throw new KubeError('kubeconfig', `kubeconfig ${file}: malformed: no clusters, users or contexts in it`);
    }
    kc.makePathsAbsolute(dirname(file));
    current ||= kc.getCurrentContext() ?? '';
    const add = <T extends { name: string }>(into: T[], from: T[]) => from.filter((x) => !into.some((y) => y.name === x.name)).forEach((x) => into.push(x));
    add(merged.clusters, kc.clusters);
    add(merged.users, kc.users);
    add(merged.contexts, kc.contexts);
  }
  merged.currentContext = current;
  return { config: merged, files: texts.map((t) => t.file) };
}

function pickContext(kc: Kubeconfig, wanted: string | undefined, files: string[]): string {
  const known = kc.getContexts().map((c) => c.name);
  const list = known.length ? known.join(', ') : 'none';
  const name = wanted ?? kc.getCurrentContext();
  if (!name) throw new KubeError('context', `kubeconfig ${files.join(':')} has no current-context; pass --context (known contexts: ${list})`);
  if (!known.includes(name)) throw new KubeError('context', `context "${name}" not found in ${files.join(':')} (known contexts: ${list})`);
  return name;
}

const methods: Record<KubeRequest['method'], HttpMethod> = {
  GET: HttpMethod.GET, POST: HttpMethod.POST, PUT: HttpMethod.PUT, PATCH: HttpMethod.PATCH, DELETE: HttpMethod.DELETE,
};

/** `299 - "text"` warning values; node-fetch joins repeated headers with ", ". */
function parseWarnings(header: string | undefined): string[] {
  if (!header) return [];
  return [...header.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\"/g, '"'));
}

class ClientNodeClient implements KubeClient {
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly server: ServerConfiguration<Record<string, string>>;
  private shared: Promise<Agent | undefined> | undefined;

  constructor(
    private readonly kc: Kubeconfig,
    readonly target: ConnectionTarget,
    private readonly keepAlive: boolean,
    private readonly timeoutMs: number,
  ) {
    this.server = new ServerConfiguration(target.server, {});
  }

  async request<T>(req: KubeRequest): Promise<KubeResponse<T>> {
    const what = describeRequest(req.method, req.path);
    const ctx = this.server.makeRequestContext(req.path, methods[req.method]);
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) ctx.setQueryParam(key, String(value));
    ctx.setHeaderParam('Accept', 'application/json');
    if (req.body !== undefined) {
      ctx.setBody(JSON.stringify(req.body));
      ctx.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
    }
    let text: string;
    let code: number;
    let headers: Record<string, string>;
    try {
      await this.kc.applySecurityAuthentication(ctx);
      const agent = await this.sharedAgent();
      if (agent) ctx.setAgent(agent);
      const timeout = AbortSignal.timeout(req.timeoutMs ?? this.timeoutMs);
      ctx.setSignal(req.signal ? AbortSignal.any([req.signal, timeout]) : timeout);
      const response = await this.http.send(ctx).toPromise();
      code = response.httpStatusCode;
      headers = response.headers;
      text = await response.body.text();
    } catch (err) {
      throw err instanceof KubeError ? err : networkError(err, what, this.target);
    }
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy or load balancer answering HTML: keep the text for the message.
    }
    if (code < 200 || code > 299) throw statusError(code, body, what, this.target.server);
    return { body: body as T, warnings: parseWarnings(headers['warning']) };
  }

  watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (error: KubeError | null) => void,
  ): WatchStream {
    let stopped = false;
    let controller: AbortController | undefined;
    const what = describeRequest('GET', path, true);
    const finish = (err: unknown) => {
      if (stopped) return; // stop() aborts the body, which reports an AbortError: not an error (libraries.md §1.2)
      stopped = true;
      controller?.abort();
      if (!err) return onDone(null);
      const code = (err as { statusCode?: number }).statusCode;
      onDone(code ? statusError(code, undefined, what, this.target.server) : networkError(err, what, this.target));
    };
    // Watch keeps its AbortController to itself until the response headers arrive, so a watch whose headers never
    // come (a dead tunnel, a server that has nothing to send yet) could not be stopped. Each watch gets its own
    // agent from applyToFetchOptions; keeping it lets stop() destroy the socket in every state.
    const agents: Agent[] = [];
    const kc = this.kc;
    const config: KubeconfigAuth = {
      getCurrentCluster: () => kc.getCurrentCluster(),
      applyToFetchOptions: async (options) => {
        const init = await kc.applyToFetchOptions(options);
        if (init.agent && typeof init.agent === 'object') agents.push(init.agent as Agent);
        return init;
      },
    };
    new Watch(config as unknown as KubeConfig) // Watch calls getCurrentCluster and applyToFetchOptions only
      .watch(path, query, (type, object) => !stopped && onEvent(type, object), finish)
      .then((c) => {
        controller = c;
        if (stopped) c.abort();
      })
      .catch(finish);
    return {
      stop: () => {
        stopped = true;
        controller?.abort();
        for (const agent of agents) agent.destroy();
      },
    };
  }

  close(): void {
    void this.shared?.then((agent) => agent?.destroy());
    this.shared = undefined;
  }

  /** One keep-alive agent for generated calls; TLS options copied from the kubeconfig (libraries.md §1.1). */
  private sharedAgent(): Promise<Agent | undefined> {
    if (!this.keepAlive) return Promise.resolve(undefined);
    this.shared ??= (async () => {
      const tls: Record<string, unknown> = {};
      await this.kc.applyToHTTPSOptions(tls);
      const options = {
        keepAlive: true,
        ...Object.fromEntries(['ca', 'cert', 'key', 'servername', 'rejectUnauthorized'].filter((k) => tls[k] !== undefined).map((k) => [k, tls[k]])),
      };
      const proxy = this.target.proxyUrl;
      if (proxy?.startsWith('socks')) return new SocksProxyAgent(proxy, options) as unknown as Agent;
      if (proxy || !this.target.server.startsWith('https:')) return undefined; // http proxies and plain http: the client's own agent
      return new HttpsAgent(options);
    })();
    return this.shared;
  }
}
