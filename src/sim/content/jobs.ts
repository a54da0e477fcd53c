// The simulated Prow instance's job configuration, as data: repositories, their presubmits and postsubmits, and
// the periodics, each with the usage profile observed in operations.md ("Per-job usage seen for one burst of
// presubmits on a Go repository"), a run time, a failure rate and its resource requests (some jobs deliberately have
// none, the situation operations.md's operators want deckhand to expose).

/** A range [min, max]. */
export type Range = readonly [number, number];

/** How one job behaves when it runs. */
export interface JobProfile {
  /** CPU of the test container in millicores while running. */
  cpuMilli: Range;
  /** Memory of the test container in MiB. */
  memoryMi: Range;
  /** Simulated run time in seconds. */
  runSeconds: Range;
  /** Fraction of runs whose test exits non-zero. */
  failureRate: number;
  /** Container requests; undefined = the job sets none. */
  requests?: { cpu: string; memory: string };
  image: string;
  command: string[];
  args: string[];
}

/** A job of the Prow config. */
export interface JobConfig {
  name: string;
  type: 'presubmit' | 'postsubmit' | 'periodic';
  profile: JobProfile;
  /** Periodics: simulated seconds between runs. */
  intervalSeconds?: number;
  /** Periodics: the repository they act on (extra_refs). */
  repo?: string;
}

/** A repository with its author pool. */
export interface RepoConfig {
  org: string;
  repo: string;
  presubmits: string[];
  postsubmits: string[];
}

const golang = 'quay.io/prowlab/golang-ci:1.23';
const make = (target: string) => ({ command: ['make'], args: [target] });

/** Usage, run time and requests per job name. */
export const jobProfiles: Record<string, JobProfile> = {
  gosec: { cpuMilli: [767, 881], memoryMi: [1203, 1803], runSeconds: [150, 330], failureRate: 0.08, image: golang, ...make('sec') },
  'golangci-lint': {
    cpuMilli: [373, 474], memoryMi: [285, 603], runSeconds: [180, 420], failureRate: 0.15,
    requests: { cpu: '500m', memory: '1Gi' }, image: 'docker.io/golangci/golangci-lint:v1.61.0', command: ['golangci-lint'], args: ['run', '--timeout=10m'],
  },
  govet: { cpuMilli: [370, 397], memoryMi: [326, 449], runSeconds: [60, 180], failureRate: 0.05, requests: { cpu: '400m', memory: '512Mi' }, image: golang, ...make('vet') },
  generate: { cpuMilli: [175, 242], memoryMi: [164, 500], runSeconds: [90, 240], failureRate: 0.1, image: golang, ...make('generate-check') },
  unit: { cpuMilli: [183, 421], memoryMi: [123, 592], runSeconds: [120, 480], failureRate: 0.12, requests: { cpu: '500m', memory: '768Mi' }, image: golang, ...make('unit') },
  gomod: { cpuMilli: [155, 169], memoryMi: [212, 232], runSeconds: [30, 90], failureRate: 0.03, requests: { cpu: '200m', memory: '256Mi' }, image: golang, ...make('gomod-check') },
  build: { cpuMilli: [360, 395], memoryMi: [348, 380], runSeconds: [120, 300], failureRate: 0.06, requests: { cpu: '500m', memory: '512Mi' }, image: golang, ...make('build') },
  'integration-test': {
    cpuMilli: [2380, 2650], memoryMi: [3500, 3900], runSeconds: [900, 1800], failureRate: 0.2,
    requests: { cpu: '2', memory: '4Gi' }, image: 'quay.io/prowlab/integration-runner:v0.9.3', command: ['./hack/ci-integration.sh'], args: [],
  },
  markdownlint: {
    cpuMilli: [8, 25], memoryMi: [18, 40], runSeconds: [10, 40], failureRate: 0.05, requests: { cpu: '50m', memory: '64Mi' },
    image: 'docker.io/pipelinecomponents/markdownlint:0.13.0', command: ['./hack/markdownlint.sh'], args: [],
  },
  'periodic-stale': {
    cpuMilli: [3, 12], memoryMi: [14, 30], runSeconds: [20, 60], failureRate: 0.02,
    image: 'us-docker.pkg.dev/k8s-infra-prow/images/commenter:v20240801-a5d9345e59', command: ['commenter'], args: ['--query=is:issue is:open updated:<-90d', '--updated=2160h', '--token=/etc/github/token', '--confirm'],
  },
  'periodic-stale-close': {
    cpuMilli: [3, 10], memoryMi: [14, 28], runSeconds: [20, 60], failureRate: 0.02,
    image: 'us-docker.pkg.dev/k8s-infra-prow/images/commenter:v20240801-a5d9345e59', command: ['commenter'], args: ['--query=is:open label:lifecycle/rotten', '--updated=720h', '--token=/etc/github/token', '--close', '--confirm'],
  },
};

/** The repositories and the jobs they trigger. */
export const repos: RepoConfig[] = [
  { org: 'prowlab', repo: 'node-operator', presubmits: ['gosec', 'golangci-lint', 'govet', 'generate', 'unit', 'gomod', 'build', 'markdownlint', 'integration-test'], postsubmits: ['build', 'unit'] },
  { org: 'prowlab', repo: 'cluster-provider', presubmits: ['gosec', 'golangci-lint', 'govet', 'unit', 'gomod', 'build', 'integration-test'], postsubmits: ['build'] },
  { org: 'prowlab', repo: 'ip-manager', presubmits: ['gosec', 'golangci-lint', 'govet', 'generate', 'unit', 'gomod', 'markdownlint'], postsubmits: ['unit'] },
  { org: 'prowlab', repo: 'project-infra', presubmits: ['golangci-lint', 'markdownlint'], postsubmits: [] },
];

/** Periodics, with their interval in simulated seconds. */
export const periodics: JobConfig[] = [
  { name: 'periodic-stale', type: 'periodic', profile: jobProfiles['periodic-stale']!, intervalSeconds: 1800, repo: 'project-infra' },
  { name: 'periodic-stale-close', type: 'periodic', profile: jobProfiles['periodic-stale-close']!, intervalSeconds: 3600, repo: 'project-infra' },
];

/** PR authors (fictional GitHub handles). */
export const authors = ['alice-k', 'bnorth', 'c-ramos', 'dmitri-v', 'eszter-h', 'fkowalski', 'gonzalo-r', 'hiro-t', 'ines-m', 'jpark'];

/** PR titles. */
export const prTitles = [
  'Bump golang.org/x/net to v0.33.0', 'Add unit tests for the IP pool reconciler', 'Fix nil pointer in machine reconcile',
  'Drop deprecated v1alpha4 types', 'Update CAPI to v1.12', 'Make the drain timeout configurable', 'Refactor provisioning state machine',
  'docs: clarify bastion rotation', 'Use errors.Join in cleanup', 'Bump golangci-lint to v1.61', 'Add e2e for node remediation',
  'Handle 429 from the eviction API', 'Pin base image digests', 'Remove unused metrics', 'Retry on conflict when patching status',
];

/** The profile of a job name (unknown names get a small generic profile). */
export function profileOf(job: string): JobProfile {
  return jobProfiles[job] ?? { cpuMilli: [20, 80], memoryMi: [40, 120], runSeconds: [30, 120], failureRate: 0.1, image: golang, ...make('test') };
}
