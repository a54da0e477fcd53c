// View records of Prow's objects: ProwJobs without their pod_spec, and the Prow identity of test pods.
import type { ObjectView } from './types.js';

/** A container's configured requests; undefined where the pod spec sets none. */
export interface ContainerRequests {
  name: string;
  cpuMilli?: number;
  memoryBytes?: number;
}

/** The Prow identity of a test pod (pod name = ProwJob name). */
export interface PodJobView {
  /** Full job name from the `prow.k8s.io/job` annotation (the label is truncated to 63 characters). */
  job: string;
  prowJobId: string;
  type?: string;
}

/** A pull request of a ProwJob's refs. */
export interface PullView {
  number: number;
  author?: string;
  sha?: string;
  title?: string;
}

/** A ProwJob without its pod_spec (only the containers' requests survive). */
export interface ProwJobView extends ObjectView {
  namespace: string;
  /** Full job name (annotation, else spec.job). */
  job: string;
  type: string;
  state: string;
  agent?: string;
  cluster?: string;
  org?: string;
  repo?: string;
  baseRef?: string;
  pulls: PullView[];
  started?: string;
  pendingAt?: string;
  completed?: string;
  url?: string;
  description?: string;
  buildId?: string;
  podName: string;
  requests: ContainerRequests[];
}
