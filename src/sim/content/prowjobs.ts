// ProwJobs as hook (presubmits, postsubmits) and horologium (periodics) create them: pjutil.NewProwJob's labels and
// annotations, refs with pulls, the job's decorated pod_spec and decoration_config, so each object is several KB
// like real ones (cluster-apis.md §3.1–§3.3, §3.5).
// @see kubernetes-sigs/prow pkg/pjutil/pjutil.go (NewProwJob), pkg/kube/prowjob.go
import { timestamp, type KubeObject } from '../objects.js';
import type { JobConfig, JobProfile } from './jobs.js';
import { hexString, type Random, uuid } from './names.js';

/** One pull request of a presubmit. */
export interface PullRef {
  number: number;
  author: string;
  sha: string;
  title: string;
}

/** refs: the repository and base (and pulls) a job tests. */
export interface JobRefs {
  org: string;
  repo: string;
  baseRef: string;
  baseSha: string;
  pulls: PullRef[];
}

/** The public URL of the Prow instance (Deck). */
export const deckUrl = 'https://prow.prowlab.example';
const toolsVersion = 'v20240805-37a08f946';
const utilityImage = (name: string) => `us-docker.pkg.dev/k8s-infra-prow/images/${name}:${toolsVersion}`;

/** Label values are truncated to 63 characters and may not end in `._-` (pkg/kube/prowjob.go). */
export function labelValue(value: string): string {
  return value.slice(0, 63).replace(/[._-]+$/, '');
}

/** The refs object of the ProwJob spec. */
export function refsJson(refs: JobRefs): Record<string, unknown> {
  const repoLink = `https://github.com/${refs.org}/${refs.repo}`;
  return {
    org: refs.org,
    repo: refs.repo,
    repo_link: repoLink,
    base_ref: refs.baseRef,
    base_sha: refs.baseSha,
    base_link: `${repoLink}/commit/${refs.baseSha}`,
    ...(refs.pulls.length
      ? {
          pulls: refs.pulls.map((p) => ({
            number: p.number,
            author: p.author,
            sha: p.sha,
            title: p.title,
            head_ref: `pr-${p.number}`,
            link: `${repoLink}/pull/${p.number}`,
            commit_link: `${repoLink}/pull/${p.number}/commits/${p.sha}`,
            author_link: `https://github.com/${p.author}`,
          })),
        }
      : {}),
    path_alias: `github.com/${refs.org}/${refs.repo}`,
  };
}

/** The job's own pod_spec (before decoration), as written in the job config: the test container, its caches and env. */
function podSpec(profile: JobProfile): Record<string, unknown> {
  return {
    containers: [{
      name: '',
      image: profile.image,
      command: profile.command,
      args: profile.args,
      env: [
        { name: 'GOFLAGS', value: '-mod=mod' },
        { name: 'GOPROXY', value: 'https://proxy.golang.org,direct' },
        { name: 'GOCACHE', value: '/tmp/.cache/go-build' },
        { name: 'GOLANGCI_LINT_CACHE', value: '/tmp/.cache/golangci-lint' },
        { name: 'XDG_CACHE_HOME', value: '/tmp/.cache' },
        { name: 'CONTAINER_RUNTIME', value: 'docker' },
        { name: 'DOCKER_IN_DOCKER_ENABLED', value: 'false' },
        { name: 'REPO_ROOT', value: '/home/prow/go/src/github.com' },
      ],
      resources: profile.requests ? { requests: { ...profile.requests }, limits: { memory: profile.requests.memory } } : {},
      securityContext: { privileged: false, runAsNonRoot: true, allowPrivilegeEscalation: false },
      volumeMounts: [{ name: 'cache', mountPath: '/tmp/.cache' }],
    }],
    volumes: [{ name: 'cache', emptyDir: { sizeLimit: '10Gi' } }],
  };
}

/** Prow's decoration_config as plank defaults it from the config's `plank.default_decoration_configs`. */
export function decorationConfig(): Record<string, unknown> {
  return {
    timeout: '2h0m0s',
    grace_period: '15m0s',
    utility_images: { clonerefs: utilityImage('clonerefs'), initupload: utilityImage('initupload'), entrypoint: utilityImage('entrypoint'), sidecar: utilityImage('sidecar') },
    gcs_configuration: { bucket: 's3://prow-logs', path_strategy: 'explicit', default_org: 'prowlab', default_repo: 'project-infra' },
    s3_credentials_secret: 's3-credentials',
    github_api_endpoints: ['http://ghproxy', 'https://api.github.com'],
    github_app_id: '302148',
    github_app_private_key_secret: { name: 'github-app', key: 'cert' },
    censoring_options: { censoring_concurrency: 10, censoring_buffer_size: 10485760, exclude_directories: ['/logs/artifacts/junit'] },
    upload_ignores_interrupts: false,
    fs_group: 2000,
    resources: {
      clonerefs: { requests: { cpu: '100m' } },
      initupload: { requests: { cpu: '100m' } },
      place_entrypoint: { requests: { cpu: '100m' } },
      sidecar: { requests: { cpu: '100m' } },
    },
  };
}

/** Everything a new ProwJob needs. */
export interface ProwJobInput {
  job: JobConfig;
  refs: JobRefs;
  namespace: string;
  podNamespace: string;
  nowMs: number;
  random: Random;
}

/** A ProwJob in state `triggered`, as NewProwJob creates it. */
export function prowJobObject(input: ProwJobInput): KubeObject {
  const { job, refs } = input;
  const pr = refs.pulls[0];
  const context = job.type === 'periodic' ? undefined : job.name;
  const labels: Record<string, string> = {
    'created-by-prow': 'true',
    'prow.k8s.io/type': job.type,
    'prow.k8s.io/job': labelValue(job.name),
    'prow.k8s.io/refs.org': refs.org,
    'prow.k8s.io/refs.repo': refs.repo,
    'prow.k8s.io/refs.base_ref': refs.baseRef,
  };
  const annotations: Record<string, string> = { 'prow.k8s.io/job': job.name };
  if (context) {
    labels['prow.k8s.io/context'] = labelValue(context);
    annotations['prow.k8s.io/context'] = context;
  }
  if (pr) labels['prow.k8s.io/refs.pull'] = String(pr.number);
  const spec: Record<string, unknown> = {
    type: job.type,
    agent: 'kubernetes',
    cluster: 'default',
    namespace: input.podNamespace,
    job: job.name,
    report: job.type !== 'periodic',
    ...(context ? { context } : {}),
    rerun_command: job.type === 'presubmit' ? `/test ${job.name}` : `gh workflow rerun ${job.name}`,
    pod_spec: podSpec(job.profile),
    decoration_config: decorationConfig(),
    rerun_auth_config: { github_team_slugs: [{ org: refs.org, slug: 'ci-maintainers' }] },
    prowjob_defaults: { tenant_id: 'GlobalDefaultID' },
  };
  if (job.type === 'periodic') spec.extra_refs = [refsJson(refs)];
  else spec.refs = refsJson(refs);
  return {
    apiVersion: 'prow.k8s.io/v1',
    kind: 'ProwJob',
    metadata: { name: uuid(input.random), namespace: input.namespace, labels, annotations },
    spec,
    status: { state: 'triggered', startTime: timestamp(input.nowMs) },
  };
}

/** A new commit SHA. */
export function sha(random: Random): string {
  return hexString(random, 40);
}

/** The Spyglass URL of a run, as plank sets status.url from `plank.job_url_template`. */
export function jobUrl(pj: KubeObject, build: string): string {
  const spec = pj.spec as { type: string; job: string; refs?: { org: string; repo: string; pulls?: { number: number }[] }; extra_refs?: unknown[] };
  const pull = spec.refs?.pulls?.[0];
  if (spec.type === 'presubmit' && spec.refs && pull) {
    return `${deckUrl}/view/s3/prow-logs/pr-logs/pull/${spec.refs.org}_${spec.refs.repo}/${pull.number}/${spec.job}/${build}`;
  }
  return `${deckUrl}/view/s3/prow-logs/logs/${spec.job}/${build}`;
}
