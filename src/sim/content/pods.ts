// Pods as their creators build them: Prow's decorated test pods (name = ProwJob name, Prow's labels and annotations,
// clonerefs/initupload/place-entrypoint init containers, the entrypoint-wrapped test container and the sidecar), and
// ReplicaSet pods from a template. What admission adds (priority, default tolerations) the API server adds, as
// kube-apiserver does; a creator sending its own priority next to a PriorityClass would be refused (../admission.ts).
// @see kubernetes-sigs/prow pkg/pod-utils/decorate/podspec.go (ProwJobToPod, decorate)
import { clone, getPath, type KubeObject } from '../objects.js';
import { controllerRef } from './capi.js';
import { labelValue } from './prowjobs.js';

type Refs = { org: string; repo: string; base_ref: string; base_sha: string; pulls?: { number: number; sha: string; author: string }[] };

/** The decorated test pod of a ProwJob for one build. */
export function testPodObject(pj: KubeObject, build: string, namespace: string): KubeObject {
  const spec = pj.spec as { type: string; job: string; context?: string; refs?: Refs; extra_refs?: Refs[]; pod_spec?: Record<string, unknown>; decoration_config?: Record<string, unknown> };
  const refs = spec.refs ?? spec.extra_refs?.[0];
  const pull = refs?.pulls?.[0];
  const name = pj.metadata.name!;
  const labels: Record<string, string> = {
    ...Object.fromEntries(Object.entries(pj.metadata.labels ?? {}).filter(([k]) => k.startsWith('prow.k8s.io/') || k === 'created-by-prow')),
    'created-by-prow': 'true',
    'prow.k8s.io/id': name,
    'prow.k8s.io/build-id': build,
    'prow.k8s.io/job': labelValue(spec.job),
    'prow.k8s.io/type': spec.type,
  };
  const annotations: Record<string, string> = { 'prow.k8s.io/job': spec.job, ...(spec.context ? { 'prow.k8s.io/context': spec.context } : {}) };
  const jobSpec = {
    type: spec.type, job: spec.job, buildid: build, prowjobid: name,
    ...(spec.refs ? { refs: spec.refs } : {}), ...(spec.extra_refs ? { extra_refs: spec.extra_refs } : {}),
    decoration_config: spec.decoration_config,
  };
  const env = [
    { name: 'ARTIFACTS', value: '/logs/artifacts' },
    { name: 'BUILD_ID', value: build },
    { name: 'BUILD_NUMBER', value: build },
    { name: 'CI', value: 'true' },
    { name: 'GOPATH', value: '/home/prow/go' },
    { name: 'JOB_NAME', value: spec.job },
    { name: 'JOB_SPEC', value: JSON.stringify(jobSpec) },
    { name: 'JOB_TYPE', value: spec.type },
    { name: 'PROW_JOB_ID', value: name },
    ...(refs ? [{ name: 'PULL_BASE_REF', value: refs.base_ref }, { name: 'PULL_BASE_SHA', value: refs.base_sha }, { name: 'REPO_NAME', value: refs.repo }, { name: 'REPO_OWNER', value: refs.org }] : []),
    ...(pull ? [{ name: 'PULL_NUMBER', value: String(pull.number) }, { name: 'PULL_PULL_SHA', value: pull.sha }] : []),
    ...(refs ? [{ name: 'PULL_REFS', value: `${refs.base_ref}:${refs.base_sha}${pull ? `,${pull.number}:${pull.sha}` : ''}` }] : []),
  ];
  const job = (((spec.pod_spec?.containers as Record<string, unknown>[] | undefined) ?? [])[0] ?? {}) as Record<string, unknown>;
  const images = (getPath(spec.decoration_config, 'utility_images') ?? {}) as Record<string, string>;
  const entrypointOptions = {
    timeout: 7_200_000_000_000, grace_period: 900_000_000_000, artifact_dir: '/logs/artifacts',
    args: [...((job.command as string[]) ?? []), ...((job.args as string[]) ?? [])], container_name: 'test', process_log: '/logs/process-log.txt', marker_file: '/logs/marker-file.txt', metadata_file: '/logs/artifacts/metadata.json',
  };
  const logs = { name: 'logs', mountPath: '/logs' };
  const tools = { name: 'tools', mountPath: '/tools' };
  const podSpec: Record<string, unknown> = {
    automountServiceAccountToken: false,
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: 915,
    schedulerName: 'default-scheduler',
    dnsPolicy: 'ClusterFirst',
    initContainers: [
      { name: 'clonerefs', image: images.clonerefs, command: ['/clonerefs'], env: [{ name: 'CLONEREFS_OPTIONS', value: JSON.stringify({ src_root: '/home/prow/go', log: '/logs/clone.json', git_user_name: 'ci-robot', git_user_email: 'ci-robot@prowlab.example', refs: refs ? [refs] : [] }) }], resources: { requests: { cpu: '100m' } }, volumeMounts: [logs, { name: 'code', mountPath: '/home/prow/go' }, { name: 'clonerefs-tmp', mountPath: '/tmp' }] },
      { name: 'initupload', image: images.initupload, command: ['/initupload'], env: [{ name: 'INITUPLOAD_OPTIONS', value: JSON.stringify({ bucket: 's3://prow-logs', path_strategy: 'explicit', log: '/logs/clone.json' }) }, { name: 'JOB_SPEC', value: JSON.stringify(jobSpec) }], resources: { requests: { cpu: '100m' } }, volumeMounts: [logs, { name: 's3-credentials', mountPath: '/secrets/s3-storage', readOnly: true }] },
      { name: 'place-entrypoint', image: images.entrypoint, command: ['/bin/cp'], args: ['/entrypoint', '/tools/entrypoint'], resources: { requests: { cpu: '100m' } }, volumeMounts: [tools] },
    ],
    containers: [
      {
        name: 'test',
        image: job.image,
        command: ['/tools/entrypoint'],
        env: [...((job.env as unknown[]) ?? []), ...env, { name: 'ENTRYPOINT_OPTIONS', value: JSON.stringify(entrypointOptions) }],
        resources: clone(job.resources ?? {}),
        securityContext: clone(job.securityContext ?? {}),
        terminationMessagePolicy: 'FallbackToLogsOnError',
        volumeMounts: [logs, tools, { name: 'code', mountPath: '/home/prow/go' }],
        workingDir: refs ? `/home/prow/go/src/github.com/${refs.org}/${refs.repo}` : '/home/prow/go',
      },
      {
        name: 'sidecar',
        image: images.sidecar,
        command: ['/sidecar'],
        env: [{ name: 'JOB_SPEC', value: JSON.stringify(jobSpec) }, { name: 'SIDECAR_OPTIONS', value: JSON.stringify({ gcs_options: { bucket: 's3://prow-logs', path_strategy: 'explicit' }, entries: [{ args: entrypointOptions.args, container_name: 'test', process_log: '/logs/process-log.txt', marker_file: '/logs/marker-file.txt', metadata_file: '/logs/artifacts/metadata.json' }], ignore_interrupts: true, censoring_options: {} }) }],
        resources: { requests: { cpu: '100m' } },
        terminationMessagePolicy: 'FallbackToLogsOnError',
        volumeMounts: [logs, { name: 's3-credentials', mountPath: '/secrets/s3-storage', readOnly: true }],
      },
    ],
    volumes: [
      { name: 'logs', emptyDir: {} },
      { name: 'tools', emptyDir: {} },
      { name: 'code', emptyDir: {} },
      { name: 'clonerefs-tmp', emptyDir: {} },
      { name: 's3-credentials', secret: { secretName: 's3-credentials' } },
    ],
  };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels, annotations }, spec: podSpec };
}

/** A pod of a ReplicaSet, from its template, named `<rs>-<suffix>`. */
export function podFromTemplate(rs: KubeObject, suffix: string): KubeObject {
  const template = (getPath(rs, 'spec.template') ?? {}) as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
  // The ReplicaSet controller copies the template as it is (controller.GetPodFromTemplate).
  const spec = clone(template.spec ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${rs.metadata.name}-${suffix}`,
      namespace: rs.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [controllerRef(rs)],
    },
    spec,
  };
}
