// What a shared integration suite runs against: the simulated cluster (`npm test`) or a real kube-apiserver with
// the real CRDs (`npm run test:conformance`), seeded with the same objects through the API by the simulator's
// seedCluster (same seeded random source, so the same names). A suite asks a target only for what both can do;
// what only one can do is a capability the suite checks.
import type { KubeClient } from '../../src/kube/client.js';
import type { SimClient } from '../../src/sim/client.js';
import type { SimCloud } from '../../src/sim/cloud.js';
import type { SimClock } from '../../src/sim/clock.js';
import type { Scenario, ScenarioName } from '../../src/sim/scenario.js';
import type { Target as HttpTarget } from '../helpers/http.js';

/** The scenarios the shared suites run (one per CAPI/CAPO generation). */
export type SharedScenario = Extract<ScenarioName, 'capi-v1beta1' | 'capi-v1beta2'>;

/** The scenarios, each with its CAPI and CAPO API versions. */
export const sharedScenarios = [
  { scenario: 'capi-v1beta1', capi: 'v1beta1', capo: 'v1alpha7' },
  { scenario: 'capi-v1beta2', capi: 'v1beta2', capo: 'v1beta1' },
] as const satisfies readonly { scenario: SharedScenario; capi: string; capo: string }[];

/** The simulated controllers running against a target (kubelets, CAPI, CAPO, Prow), when it has them. */
export interface TargetControllers {
  /** The cloud the simulated CAPO drives: real ssh2 bastions and the load balancer in front of the API server. */
  cloud: SimCloud;
  clock: SimClock;
  /** Makes a node's kubelet stop reporting (the node goes Ready=Unknown). */
  failNode(name: string): Promise<void>;
  /** Controller log lines so far (for failure messages). */
  logs(): string[];
}

/** What both kinds of target offer. */
export interface Target {
  /** `sim` or `real`, and a label for test names. */
  kind: 'sim' | 'real';
  label: string;
  scenario: Scenario;
  /** URL, CA and admin token: for the independent HTTPS helper (test/helpers/http.ts). */
  access: HttpTarget;
  /** An admin kubeconfig file. */
  kubeconfig: string;
  /** A private temporary directory (journals, audit logs), removed by stop(). */
  dir: string;
  /** deckhand's client on the admin kubeconfig; closed by stop(). */
  client(options?: { kubeconfig?: string; proxyUrl?: string | null }): KubeClient;
  /** The simulator's REST client (what its controllers use) with fieldValidation=Strict; closed by stop(). */
  rest: SimClient;
  /**
   * Makes every resourceVersion of `events` older than now expire: the sim compacts its event history, the real
   * server compacts etcd (its events are not watch-cached, so compaction is visible; test/k8s/OBSERVED.md).
   */
  compactEvents(): Promise<void>;
  /** Present when the simulated controllers run against this target. */
  controllers?: TargetControllers;
  /** Whether metrics.k8s.io is served (the sim serves it; the real server has no aggregated metrics API). */
  metrics: boolean;
  stop(): Promise<void>;
}

/** Starts a target; suites call it in before() and stop it in after(). */
export type TargetFactory = () => Promise<Target>;

/** Options both target factories take. */
export interface TargetOptions {
  scenario: SharedScenario;
  /** Run the simulated controllers (default: a static cluster, only what seeding created). */
  controllers?: boolean;
  /** Simulated seconds per real second for the controllers. */
  timeScale?: number;
  /** Install Prow (default true). */
  prow?: boolean;
  /** Scenario settings for the controllers (e.g. no job arrivals, so a test creates its own ProwJobs). */
  overrides?: Partial<Pick<Scenario, 'jobsPerMinute' | 'brokenComponent'>>;
}
