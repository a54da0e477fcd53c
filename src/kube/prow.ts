// The Prow adapter: ProwJob (prow.k8s.io/v1) projection without pod_spec, the job identity of test pods, and
// the abort patch Deck sends. Job names come from the annotation: the `prow.k8s.io/job` label is truncated.
// @see /work/shared/reference/cluster-apis.md §3
// @see https://github.com/kubernetes-sigs/prow/blob/main/pkg/kube/prowjob.go (labels and annotations)
import type { ApiFamily } from './discovery.js';
import { intern } from './intern.js';
import { cpuAt, int, list, memoryAt, nested, objectMeta, strings, text, withDefined, type Json } from './read.js';
import type { ContainerRequests, PodJobView, ProwJobView, PullView } from './types.js';

/** Prow's ProwJob CRD. */
export const prowFamily: ApiFamily = {
  id: 'prow',
  title: 'Prow',
  group: 'prow.k8s.io',
  versions: ['v1'],
  resources: ['prowjobs'],
};

/** Labels and annotations Prow puts on ProwJobs and their pods. */
export const prowLabels = {
  job: 'prow.k8s.io/job',
  id: 'prow.k8s.io/id',
  type: 'prow.k8s.io/type',
  buildId: 'prow.k8s.io/build-id',
  createdByProw: 'created-by-prow',
} as const;

/** ProwJob states that are final. */
export const finalStates: ReadonlySet<string> = new Set(['success', 'failure', 'aborted', 'error']);

/** Requests of the containers of a pod spec, at `path` (e.g. `spec.pod_spec.containers`). */
export function containerRequests(raw: unknown, path: string): ContainerRequests[] {
  return list(raw, path).map((c, i) =>
    withDefined<ContainerRequests>(
      { name: intern(text(c, 'name') ?? `container-${i}`) },
      { cpuMilli: cpuAt(c, 'resources.requests.cpu'), memoryBytes: memoryAt(c, 'resources.requests.memory') },
    ),
  );
}

function pulls(raw: unknown): PullView[] {
  return list(raw, 'spec.refs.pulls').flatMap((p) => {
    const number = int(p, 'number');
    return number === undefined
      ? []
      : [withDefined<PullView>({ number }, { author: intern(text(p, 'author')), sha: text(p, 'sha'), title: intern(text(p, 'title')) })];
  });
}

/** A ProwJob, keeping from `pod_spec` only the containers' resource requests. */
export function projectProwJob(raw: unknown): ProwJobView {
  const meta = objectMeta(raw);
  const annotations = strings(raw, 'metadata.annotations');
  const labels = strings(raw, 'metadata.labels');
  // Periodics have no refs; their repository is the first extra_refs entry, as Prow's labels take it.
  const firstExtra = list(raw, 'spec.extra_refs')[0];
  const ref = (field: string) => text(raw, `spec.refs.${field}`) ?? text(firstExtra, field);
  return withDefined<ProwJobView>(
    {
      ...meta,
      namespace: meta.namespace ?? '',
      job: intern(annotations[prowLabels.job] ?? text(raw, 'spec.job') ?? labels[prowLabels.job] ?? meta.name),
      type: intern(text(raw, 'spec.type') ?? labels[prowLabels.type] ?? 'unknown'),
      state: intern(text(raw, 'status.state') ?? 'triggered'),
      pulls: pulls(raw),
      podName: text(raw, 'status.pod_name') ?? meta.name,
      requests: containerRequests(raw, 'spec.pod_spec.containers'),
    },
    {
      agent: intern(text(raw, 'spec.agent')),
      cluster: intern(text(raw, 'spec.cluster')),
      org: intern(ref('org')),
      repo: intern(ref('repo')),
      baseRef: intern(ref('base_ref')),
      started: text(raw, 'status.startTime'),
      pendingAt: text(raw, 'status.pendingTime'),
      completed: text(raw, 'status.completionTime'),
      url: text(raw, 'status.url'),
      description: intern(text(raw, 'status.description')),
      buildId: text(raw, 'status.build_id'),
    },
  );
}

/** The Prow identity of a pod, if Prow created it: full job name from the annotation, ProwJob from the id label. */
export function podJob(name: string, labels: Record<string, string>, annotations: Record<string, string>): PodJobView | undefined {
  const job = annotations[prowLabels.job] ?? labels[prowLabels.job];
  if (!job || (labels[prowLabels.createdByProw] !== 'true' && !labels[prowLabels.id])) return undefined;
  return withDefined<PodJobView>({ job: intern(job), prowJobId: labels[prowLabels.id] ?? name }, { type: intern(labels[prowLabels.type]) });
}

/**
 * The merge patch Deck sends to abort a job (only from triggered/pending); plank then deletes the pod.
 * @see https://github.com/kubernetes-sigs/prow/blob/main/cmd/deck/abort.go
 */
export function abortPatch(description: string): Json {
  return nested([['status.state', 'aborted'], ['status.description', description]]);
}
