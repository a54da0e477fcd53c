// The dashboard's parts, wired once: the stores (cluster, shell, prompts, runbooks), the route to the API that the
// watches and the runbooks share, the cluster link, the bridge from context keys to the runbook engine, and the
// offer of unfinished runs, which is queued before anything else can ask a question.
import { createClient } from '../kube/client.js';
import { discover } from '../kube/discovery.js';
import { watchedFamilies } from '../kube/kinds.js';
import type { RunProfile } from '../runbooks/types.js';
import { createAppStore, type AppStore } from '../store/app-store.js';
import type { PromptStore } from '../store/prompt-store.js';
import { bridgeRunbookRequests } from '../store/runbook-bridge.js';
import { createRunbookStore, type RunbookStore } from '../store/runbook-slice.js';
import { createShellStore, type SessionInfo, type ShellStore } from '../store/shell-store.js';
import type { DeckhandPaths } from './paths.js';
import { createClusterLink, kubeconfigContexts } from './ui-link.js';
import type { Log } from './ui-log.js';
import { offerUnfinished } from './ui-resume.js';
import { createRoute } from './ui-route.js';
import { dashboardRunFactory } from './ui-runbooks.js';
import type { OpenedTunnel } from './ui-tunnel.js';
import type { BastionAddress } from '../tunnel/types.js';

/** What a session was prepared with (flags, profile, demo or not). */
export interface WiringInput {
  paths: DeckhandPaths;
  log: Log;
  session: Omit<SessionInfo, 'contexts'>;
  runProfile: RunProfile;
  clusterTimeScale: number;
  prompts: PromptStore;
  kubeconfig?: string;
  context?: string;
  tunnelContext?: string;
  tunnel?: OpenedTunnel;
  prowNamespace?: string;
  updateProfileBastion?(address: BastionAddress): Promise<string>;
}

/** The wired dashboard: its stores, and starting and stopping what runs behind them. */
export interface Wiring {
  store: AppStore;
  shell: ShellStore;
  prompts: PromptStore;
  runbooks: RunbookStore;
  /** Offers unfinished runs, starts the tunnel and connects. */
  start(): void;
  /** Stops the watches, answers open questions with their safe default, closes connections and the tunnel. */
  stop(): Promise<void>;
}

/** Wires the parts; nothing runs until start(). */
export function wireDashboard(input: WiringInput): Wiring {
  const { log, prompts, paths } = input;
  const store = createAppStore();
  const { contexts } = kubeconfigContexts(input.kubeconfig);
  const shell = createShellStore({ session: { ...input.session, contexts }, onSwitchContext: (name) => link.connect(name) });
  const route = createRoute({
    shell, log, onSwitch: () => link.reconnect(),
    ...(input.tunnel ? { opened: input.tunnel } : {}),
    ...(input.kubeconfig ? { kubeconfig: input.kubeconfig } : {}),
    ...(input.tunnelContext ? { tunnelContext: input.tunnelContext } : {}),
    ...(input.updateProfileBastion ? { updateProfileBastion: input.updateProfileBastion } : {}),
  });
  const link = createClusterLink({
    store, shell, log,
    ...(input.kubeconfig ? { kubeconfig: input.kubeconfig } : {}),
    ...(input.tunnelContext ? { tunnelContext: input.tunnelContext } : {}),
    ...(input.tunnel ? { tunnelProxy: () => route.proxy() } : {}),
    ...(input.prowNamespace ? { prowNamespace: input.prowNamespace } : {}),
  });
  const context = () => store.getState().connection.target?.context ?? shell.getState().session.context;
  const offer = {
    journalDir: paths.journalDir, prompts, shell, log,
    get runbooks() {
      return runbooks;
    },
    clusters: [
      // Directly first: an unfinished swap's temporary entry is what lets us in without a bastion.
      async () => {
        const client = createClient({ ...(input.kubeconfig ? { kubeconfig: input.kubeconfig } : {}), ...(context() ? { context: context()! } : {}), proxyUrl: null, requestTimeoutMs: 5000 });
        try {
          return { client, discovery: await discover(client, watchedFamilies), release: () => client.close() };
        } catch (err) {
          client.close();
          throw err;
        }
      },
      async () => {
        const client = (await route.control(context())).client();
        return { client, discovery: await discover(client, watchedFamilies) };
      },
    ],
  };
  const runbooks = createRunbookStore(dashboardRunFactory({
    journalDir: paths.journalDir, auditLog: paths.auditLog, profile: input.runProfile, clusterTimeScale: input.clusterTimeScale, log,
    connection: () => route.control(context()),
    onUnfinished: (points) => void offerUnfinished(offer, points),
  }));
  const unbridge = bridgeRunbookRequests(shell, runbooks);
  return {
    store, shell, prompts, runbooks,
    start() {
      void offerUnfinished(offer).catch((err: unknown) => log(`unfinished runs: ${(err as Error).message}`));
      input.tunnel?.tunnel.start();
      link.connect(input.context);
    },
    async stop() {
      unbridge();
      prompts.getState().actions.cancelAll();
      link.stop();
      store.getState().actions.dispose();
      await route.close();
    },
  };
}
