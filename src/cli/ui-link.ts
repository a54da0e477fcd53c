// The dashboard's connection to the cluster: build a client for a context (through the tunnel when that context is
// the tunnelled one), start the watching session into the store, retry with capped backoff while the API cannot be
// reached, and switch contexts on `:ctx` (stop, clear the model, connect again). Configuration errors are not
// retried: the header shows them.
import { readKubeconfigTexts } from '../kube/kubeconfig.js';
import { createClient, type KubeClient } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import type { ClusterSession } from '../kube/session.js';
import type { AppStore } from '../store/app-store.js';
import { connectCluster } from '../store/connect.js';
import type { ShellStore } from '../store/shell-store.js';
import { parse } from 'yaml';
import type { Log } from './ui-log.js';

/** Options of createClusterLink. */
export interface LinkOptions {
  store: AppStore;
  shell: ShellStore;
  log: Log;
  kubeconfig?: string;
  /** The context reached through the tunnel; other contexts connect as their kubeconfig says. */
  tunnelContext?: string;
  /** The tunnel's proxy URL once it listens (rejects when it failed for good), or null: go direct (bastion-swap). */
  tunnelProxy?: () => Promise<string | null>;
  prowNamespace?: string;
  podNamespaces?: readonly string[];
  /** First and longest wait between connection attempts. */
  backoff?: { initialMs: number; maxMs: number };
}

/** A live link; connect() again switches context. */
export interface ClusterLink {
  connect(context: string | undefined): void;
  /** Connects the same context again on the current route, keeping the model (the relist reconciles it). */
  reconnect(): void;
  stop(): void;
}

/** The contexts of the kubeconfig and its current-context, for `:ctx` and the header; empty when unreadable. */
export function kubeconfigContexts(kubeconfig: string | undefined): { contexts: string[]; current?: string } {
  try {
    const contexts: string[] = [];
    let current: string | undefined;
    for (const { text } of readKubeconfigTexts(kubeconfig ? { kubeconfig } : {})) {
      const doc = parse(text) as { contexts?: { name?: string }[]; 'current-context'?: string } | null;
      for (const c of doc?.contexts ?? []) if (c.name && !contexts.includes(c.name)) contexts.push(c.name);
      current ||= doc?.['current-context'] || undefined;
    }
    return { contexts, ...(current ? { current } : {}) };
  } catch {
    return { contexts: [] };
  }
}

// A refused or misconfigured connection does not get better by retrying.
const final = new Set(['kubeconfig', 'context', 'unauthorized', 'forbidden', 'tls']);

/** Creates the link; nothing happens until connect(). */
export function createClusterLink(options: LinkOptions): ClusterLink {
  const { store, shell, log } = options;
  const backoff = options.backoff ?? { initialMs: 1000, maxMs: 30_000 };
  let generation = 0;
  let context: string | undefined;
  let session: ClusterSession | undefined;
  let client: KubeClient | undefined;
  let wake: (() => void) | undefined;

  const teardown = () => {
    session?.stop();
    client?.close();
    session = undefined;
    client = undefined;
    wake?.();
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

  const run = async (gen: number) => {
    let delay = backoff.initialMs;
    while (gen === generation) {
      try {
        const tunnelled = options.tunnelProxy !== undefined && (options.tunnelContext === undefined || options.tunnelContext === context);
        const proxyUrl = tunnelled ? await options.tunnelProxy!() : undefined;
        if (gen !== generation) return;
        client = createClient({ ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}), ...(context ? { context } : {}), ...(proxyUrl !== undefined ? { proxyUrl } : {}) });
        shell.getState().actions.setSession({ context: client.target.context });
        log(`connecting to ${client.target.server} (context ${client.target.context}${proxyUrl ? ` via ${proxyUrl}` : ''})`);
        const started = await connectCluster(store, {
          client,
          ...(options.prowNamespace ? { prowNamespace: options.prowNamespace } : {}),
          ...(options.podNamespaces ? { podNamespaces: options.podNamespaces } : {}),
        });
        if (gen !== generation) return started.stop();
        session = started;
        log(`connected: ${started.discovery.serverVersion}, ${started.sources.length} sources`);
        return;
      } catch (err) {
        client?.close();
        client = undefined;
        const message = err instanceof Error ? err.message : String(err);
        if (gen !== generation) return;
        if (err instanceof KubeError && final.has(err.kind)) {
          store.getState().actions.connectionFailed({ message, kind: err.kind });
          log(`not retrying: ${message}`);
          return;
        }
        if (!(err instanceof KubeError)) store.getState().actions.connectionFailed({ message });
        log(`connection failed, retrying in ${delay} ms: ${message}`);
        await sleep(delay);
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  };

  return {
    connect(next) {
      generation += 1;
      teardown();
      context = next;
      // A new context starts from an empty model: nothing of the previous cluster may linger on screen.
      store.getState().actions.resetCluster();
      if (context) shell.getState().actions.setSession({ context });
      void run(generation);
    },
    reconnect() {
      generation += 1;
      teardown();
      void run(generation);
    },
    stop() {
      generation += 1;
      teardown();
      store.getState().actions.disconnected();
    },
  };
}
