// Scenarios of the simulated cluster, as data: API versions, cluster shape, Prow load and injected faults.
// Names follow the real cluster of operations.md so that commands from the wiki work unchanged.

/** The scenarios `deckhand sim --scenario` accepts. */
export const scenarioNames = ['demo', 'capi-v1beta1', 'capi-v1beta2', 'large'] as const;
/** One of scenarioNames. */
export type ScenarioName = (typeof scenarioNames)[number];

/** Everything that differs between scenarios. */
export interface Scenario {
  name: ScenarioName;
  /** CAPI storage version: v1beta1 = CAPI 1.10 (v1beta1 only), v1beta2 = CAPI 1.12 (v1beta1 + v1beta2). */
  capi: 'v1beta1' | 'v1beta2';
  /** CAPO version: v1alpha7 = CAPO 0.9, v1beta1 = CAPO 0.14. */
  capo: 'v1alpha7' | 'v1beta1';
  /** Whether the Prow CRD and components are installed. */
  prow: boolean;
  /** Whether metrics.k8s.io is served. */
  metrics: boolean;
  kubernetesVersion: string;
  clusterName: string;
  clusterNamespace: string;
  controlPlaneReplicas: number;
  workerReplicas: number;
  worker: { cpu: string; memory: string; pods: number };
  controlPlane: { cpu: string; memory: string; pods: number };
  bastionImage: string;
  prowNamespace: string;
  testPodsNamespace: string;
  /** New ProwJobs per simulated minute. */
  jobsPerMinute: number;
  /** A Prow component broken on purpose, for triage. */
  brokenComponent?: { name: string; mode: 'CrashLoopBackOff' | 'FailedMount' };
  faults: {
    /** Simulated seconds after start when the busiest worker stops reporting (demo). */
    overloadNodeAfterSeconds?: number;
    /** The load balancer ignores allowlist changes (the bastion-swap runbook must then refuse to go on). */
    allowlistStuck?: boolean;
  };
  /** Bulk sizes for benchmarks. */
  size?: { nodes: number; pods: number; prowjobs: number };
}

const base: Omit<Scenario, 'name' | 'capi' | 'capo'> = {
  prow: true,
  metrics: true,
  kubernetesVersion: 'v1.31.4',
  clusterName: 'prow',
  clusterNamespace: 'default',
  controlPlaneReplicas: 1,
  workerReplicas: 2,
  worker: { cpu: '8', memory: '16Gi', pods: 110 },
  controlPlane: { cpu: '4', memory: '4Gi', pods: 110 },
  bastionImage: 'ubuntu-22.04',
  prowNamespace: 'prow',
  testPodsNamespace: 'test-pods',
  jobsPerMinute: 6,
  faults: {},
};

/** The named scenarios. `large` takes its sizes from the options. */
export function scenario(name: ScenarioName, size?: Scenario['size']): Scenario {
  switch (name) {
    case 'demo':
      return {
        ...base, name, capi: 'v1beta2', capo: 'v1beta1', jobsPerMinute: 12,
        brokenComponent: { name: 'needs-rebase', mode: 'FailedMount' },
        faults: { overloadNodeAfterSeconds: 240 },
      };
    case 'capi-v1beta1':
      return { ...base, name, capi: 'v1beta1', capo: 'v1alpha7' };
    case 'capi-v1beta2':
      return { ...base, name, capi: 'v1beta2', capo: 'v1beta1' };
    case 'large': {
      const s = size ?? { nodes: 200, pods: 10_000, prowjobs: 20_000 };
      return { ...base, name, capi: 'v1beta2', capo: 'v1beta1', workerReplicas: s.nodes - 1, jobsPerMinute: 0, size: s };
    }
  }
}
