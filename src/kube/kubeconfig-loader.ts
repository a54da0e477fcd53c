// client-node 1.4.0's KubeConfig, ported for what deckhand uses, so that the package root is never loaded: its
// config.js imports the whole generated API (gen/index.js: ~68 MB RSS, ~28 MB heap of code deckhand never calls).
// Only small leaf modules are imported: config_types (parsing the entries), exec_auth and file_auth.
// Mirrored from https://github.com/kubernetes-client/javascript/blob/1.4.0/src/config.ts, function by function:
// loadFromString, makePathsAbsolute + makeAbsolutePath, findObject (getContextObject, getCluster, getUser,
// getCurrentCluster, getCurrentUser), applyToFetchOptions, applyToHTTPSOptions, applySecurityAuthentication,
// createAgent, applyHTTPSOptions, applyAuthorizationHeader, applyOptions, bufferFromFileOrString.
// Not ported: the deprecated azure, gcp and oidc auth providers and HTTP(S) proxy-urls (hpagent). A kubeconfig whose
// current user or cluster needs one is handed, whole, to client-node's own KubeConfig, imported on first use.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions, type RequestOptions } from 'node:https';
import { isAbsolute, join } from 'node:path';
import { parseDocument } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node';
import { newClusters, newContexts, newUsers, type Cluster, type Context, type User } from '@kubernetes/client-node/dist/config_types.js';
import { ExecAuth } from '@kubernetes/client-node/dist/exec_auth.js';
import { FileAuth } from '@kubernetes/client-node/dist/file_auth.js';
import type { RequestContext } from '@kubernetes/client-node/dist/gen/http/http.js';
import { SocksProxyAgent } from 'socks-proxy-agent';

export type { Cluster, Context, User };

/** What node-fetch is given (client-node returns a node-fetch Headers; node-fetch takes a plain record as well). */
export interface FetchInit {
  agent?: RequestOptions['agent'];
  headers: Record<string, string>;
  method?: string;
  timeout?: number;
}

/** The part of a KubeConfig that the request path and client-node's Watch call. */
export interface KubeconfigAuth {
  getCurrentCluster(): Cluster | null;
  applyToFetchOptions(opts: RequestOptions): Promise<FetchInit>;
}

// Agent options copied from the request options by applyToHTTPSOptions, in client-node's order.
const agentKeys = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'timeout', 'servername', 'ciphers', 'honorCipherOrder',
  'ecdhCurve', 'clientCertEngine', 'crl', 'dhparam', 'secureOptions', 'secureProtocol', 'sessionIdContext'] as const;

/** A kubeconfig with the clusters, users and contexts of one or more files; current-context picks the ones in use. */
export class Kubeconfig implements KubeconfigAuth {
  clusters: Cluster[] = [];
  contexts: Context[] = [];
  users: User[] = [];
  currentContext: string | undefined;
  // client-node's authenticators are [azure, gcp, exec, file, oidc], one instance (one token cache) per KubeConfig;
  // azure, gcp and oidc users go to client-node's KubeConfig (legacy()).
  private readonly authenticators = [new ExecAuth(), new FileAuth()];
  private clientNode: Promise<KubeConfig> | undefined;

  /** Parses one file's text, as KubeConfig.loadFromString (js-yaml's load there; `yaml` with merge keys here). */
  loadFromString(text: string): void {
    const doc = parseDocument(text, { merge: true, logLevel: 'silent' });
    const problem = doc.errors[0] ?? doc.warnings[0]; // js-yaml refuses unknown tags, which yaml only warns about
    if (problem) throw problem;
    const obj = (doc.toJS() ?? {}) as Record<string, unknown>;
    this.clusters = newClusters(obj.clusters);
    this.contexts = newContexts(obj.contexts);
    this.users = newUsers(obj.users);
    this.currentContext = obj['current-context'] as string | undefined;
  }

  /** Resolves relative certificate-authority, client-certificate and client-key paths against the file's directory. */
  makePathsAbsolute(rootDirectory: string): void {
    for (const cluster of this.clusters) if (cluster.caFile) cluster.caFile = makeAbsolutePath(rootDirectory, cluster.caFile);
    for (const user of this.users) {
      if (user.certFile) user.certFile = makeAbsolutePath(rootDirectory, user.certFile);
      if (user.keyFile) user.keyFile = makeAbsolutePath(rootDirectory, user.keyFile);
    }
  }

  getContexts(): Context[] {
    return this.contexts;
  }

  getCurrentContext(): string | undefined {
    return this.currentContext;
  }

  getContextObject(name: string | undefined): Context | null {
    return findObject(this.contexts, name);
  }

  getCluster(name: string): Cluster | null {
    return findObject(this.clusters, name);
  }

  getUser(name: string | undefined): User | null {
    return findObject(this.users, name);
  }

  getCurrentCluster(): Cluster | null {
    const context = this.getContextObject(this.currentContext);
    return context ? this.getCluster(context.cluster) : null;
  }

  getCurrentUser(): User | null {
    const context = this.getContextObject(this.currentContext);
    return context ? this.getUser(context.user) : null;
  }

  /** Request options for node-fetch: agent (TLS, proxy), Authorization and impersonation headers. */
  async applyToFetchOptions(opts: RequestOptions): Promise<FetchInit> {
    const legacy = await this.legacy();
    if (legacy) return (await legacy.applyToFetchOptions(opts)) as unknown as FetchInit;
    await this.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [key, val] of Object.entries(opts.headers ?? {})) {
      if (Array.isArray(val)) headers[key] = val.join(', '); // what node-fetch's Headers.append gives for one key
      else if (typeof val === 'number' || typeof val === 'string') headers[key] = val.toString();
    }
    if (opts.auth) headers['Authorization'] = 'Basic ' + Buffer.from(opts.auth).toString('base64');
    return { agent: opts.agent, headers, method: opts.method, timeout: opts.timeout };
  }

  /** TLS material and credentials into `opts`, and an agent built from them (with the cluster's proxy). */
  async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    const legacy = await this.legacy();
    if (legacy) return legacy.applyToHTTPSOptions(opts);
    const user = this.getCurrentUser();
    const cluster = this.getCurrentCluster();
    await this.applyOptions(opts);
    if (user && user.username) opts.auth = `${user.username}:${user.password}`;
    const from = opts as Record<string, unknown>;
    const agentOptions: Record<string, unknown> = {};
    // Only set rejectUnauthorized if explicitly configured (else node's NODE_TLS_REJECT_UNAUTHORIZED default applies).
    for (const key of agentKeys) if (key !== 'rejectUnauthorized' || from[key] !== undefined) agentOptions[key] = from[key];
    opts.agent = this.createAgent(cluster, agentOptions as AgentOptions);
  }

  /** For a generated-API RequestContext: headers and an agent, as client-node's applySecurityAuthentication. */
  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    const legacy = await this.legacy();
    if (legacy) return legacy.applySecurityAuthentication(context);
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    const agentOptions: AgentOptions = {};
    const httpsOptions: RequestOptions = {};
    await this.applyOptions(httpsOptions);
    if (cluster && cluster.skipTLSVerify) agentOptions.rejectUnauthorized = false;
    if (cluster && cluster.tlsServerName) agentOptions.servername = cluster.tlsServerName;
    if (user && user.username) {
      context.setHeaderParam('Authorization', `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`);
    }
    for (const [key, value] of Object.entries(httpsOptions.headers ?? {})) context.setHeaderParam(key, `${value}`);
    agentOptions.ca = httpsOptions.ca;
    agentOptions.cert = httpsOptions.cert;
    agentOptions.key = httpsOptions.key;
    agentOptions.pfx = httpsOptions.pfx;
    agentOptions.passphrase = httpsOptions.passphrase;
    if (httpsOptions.rejectUnauthorized !== undefined) agentOptions.rejectUnauthorized = httpsOptions.rejectUnauthorized;
    context.setAgent(this.createAgent(cluster, agentOptions));
  }

  private createAgent(cluster: Cluster | null, agentOptions: AgentOptions): HttpAgent {
    if (cluster && cluster.proxyUrl) {
      // HTTP(S) proxies never get here: legacy() hands them to client-node, which uses hpagent.
      if (!cluster.proxyUrl.startsWith('socks')) throw new Error(`Unsupported proxy type: ${cluster.proxyUrl}`);
      return new SocksProxyAgent(cluster.proxyUrl, agentOptions) as unknown as HttpAgent;
    }
    if (cluster?.server?.startsWith('http:') && cluster.skipTLSVerify) return new HttpAgent(agentOptions);
    if (cluster?.server?.startsWith('http:') && !cluster.skipTLSVerify) {
      throw new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false');
    }
    return new HttpsAgent(agentOptions);
  }

  private applyHTTPSOptions(opts: RequestOptions): void {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (!user) return;
    if (cluster != null && cluster.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster != null && cluster.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = cluster != null ? bufferFromFileOrString(cluster.caFile, cluster.caData) : null;
    if (ca) opts.ca = ca;
    const cert = bufferFromFileOrString(user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = bufferFromFileOrString(user.keyFile, user.keyData);
    if (key) opts.key = key;
    if (user.impersonateUser != null) {
      opts.headers ??= {};
      (opts.headers as Record<string, string>)['Impersonate-User'] = user.impersonateUser;
    }
  }

  private async applyAuthorizationHeader(opts: RequestOptions): Promise<void> {
    const user = this.getCurrentUser();
    if (!user) return;
    const authenticator = this.authenticators.find((a) => a.isAuthProvider(user));
    opts.headers ??= {};
    if (authenticator) await authenticator.applyAuthentication(user, opts);
    if (user.token) (opts.headers as Record<string, string>).Authorization = `Bearer ${user.token}`;
  }

  private async applyOptions(opts: RequestOptions): Promise<void> {
    this.applyHTTPSOptions(opts);
    await this.applyAuthorizationHeader(opts);
  }

  /** client-node's KubeConfig for what is not ported (see the top of the file), else undefined. */
  private legacy(): Promise<KubeConfig | undefined> | undefined {
    const user = this.getCurrentUser();
    const provider = (user?.authProvider as { name?: string } | undefined)?.name;
    // client-node asks azure, gcp, exec, file, oidc in turn; the first to claim the user authenticates it.
    const claimed = (provider === 'azure' || provider === 'gcp')
      || (provider === 'oidc' && !this.authenticators.some((a) => a.isAuthProvider(user!)));
    const proxy = this.getCurrentCluster()?.proxyUrl;
    if (!claimed && !(proxy && !proxy.startsWith('socks'))) return undefined;
    this.clientNode ??= import('@kubernetes/client-node').then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      kc.loadFromOptions({ clusters: this.clusters, contexts: this.contexts, users: this.users, currentContext: this.currentContext ?? '' });
      return kc;
    });
    return this.clientNode;
  }
}

/** A relative path in a kubeconfig is relative to the file's directory. */
export function makeAbsolutePath(root: string, file: string): string {
  return !root || isAbsolute(file) ? file : join(root, file);
}

/** A file's contents if `file` is set, else base64 `data` decoded, else null. */
export function bufferFromFileOrString(file?: string, data?: string): Buffer | null {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return null;
}

/** client-node's findObject over already-flattened entries (config_types' new* have no nested `cluster`/`user`). */
function findObject<T extends { name: string }>(list: T[], name: string | undefined): T | null {
  return list.find((obj) => obj.name === name) ?? null;
}
