// Prow's configuration as plank and sinker read it: the `config.yaml` key of ConfigMap `config` in the Prow
// namespace, with Prow's code defaults for anything unset (cluster-apis.md §3.4). The simulated cluster seeds a
// config with shorter sinker ages so garbage collection is visible; editing the ConfigMap changes behaviour live.
// @see kubernetes-sigs/prow pkg/config/config.go (Plank, Sinker defaulting)
import { parse } from 'yaml';
import { parseGoDuration } from '../../format/duration.js';
import { getPath, isObject } from '../objects.js';
import type { ControllerEnv } from './env.js';

/** The settings the simulated Prow uses, in simulated seconds. */
export interface ProwSettings {
  podPendingTimeout: number;
  podUnscheduledTimeout: number;
  podRunningTimeout: number;
  maxRevivals: number;
  sinkerResync: number;
  maxProwJobAge: number;
  maxPodAge: number;
  terminatedPodTtl: number;
}

const seconds = (v: unknown, fallback: number): number => {
  if (typeof v !== 'string') return fallback;
  try {
    return parseGoDuration(v) / 1000;
  } catch {
    return fallback;
  }
};

/** Parses config.yaml text with Prow's defaults. */
export function parseProwSettings(text: string | undefined): ProwSettings {
  let doc: unknown = {};
  try {
    doc = text ? parse(text) : {};
  } catch {
    doc = {};
  }
  const plank = isObject(getPath(doc, 'plank')) ? getPath(doc, 'plank') : {};
  const sinker = isObject(getPath(doc, 'sinker')) ? getPath(doc, 'sinker') : {};
  const maxPodAge = seconds(getPath(sinker, 'max_pod_age'), 24 * 3600);
  return {
    podPendingTimeout: seconds(getPath(plank, 'pod_pending_timeout'), 600),
    podUnscheduledTimeout: seconds(getPath(plank, 'pod_unscheduled_timeout'), 300),
    podRunningTimeout: seconds(getPath(plank, 'pod_running_timeout'), 48 * 3600),
    maxRevivals: Number(getPath(plank, 'max_revivals') ?? 3),
    sinkerResync: seconds(getPath(sinker, 'resync_period'), 3600),
    maxProwJobAge: seconds(getPath(sinker, 'max_prowjob_age'), 7 * 24 * 3600),
    maxPodAge,
    terminatedPodTtl: seconds(getPath(sinker, 'terminated_pod_ttl'), maxPodAge),
  };
}

const memo = new WeakMap<ControllerEnv, { rv: string | undefined; settings: ProwSettings }>();

/** The current settings, from the cached ConfigMap (re-parsed only when it changes). */
export function prowSettings(env: ControllerEnv): ProwSettings {
  const cm = env.informers.of(env.kinds.configMaps).get('config', env.scenario.prowNamespace);
  const rv = cm?.metadata.resourceVersion;
  const kept = memo.get(env);
  if (kept && kept.rv === rv) return kept.settings;
  const settings = parseProwSettings((cm?.data as Record<string, string> | undefined)?.['config.yaml']);
  memo.set(env, { rv, settings });
  return settings;
}

/** The config.yaml the simulated cluster starts with. */
export function seededProwConfig(prowNamespace: string, podNamespace: string): string {
  return [
    `prowjob_namespace: ${prowNamespace}`,
    `pod_namespace: ${podNamespace}`,
    'in_repo_config:',
    '  enabled:',
    '    "*": false',
    'deck:',
    '  spyglass:',
    '    size_limit: 100000000',
    '    lenses:',
    '    - lens: {name: metadata}',
    '      required_files: [started.json|finished.json]',
    '    - lens: {name: buildlog}',
    '      required_files: [build-log.txt]',
    'plank:',
    '  job_url_prefix_config:',
    '    "*": https://prow.prowlab.example/view/',
    '  report_templates:',
    "    '*': >-",
    "        [Full PR test history](https://prow.prowlab.example/pr-history?org={{.Spec.Refs.Org}}&repo={{.Spec.Refs.Repo}}&pr={{with index .Spec.Refs.Pulls 0}}{{.Number}}{{end}}).",
    '  pod_pending_timeout: 10m',
    '  pod_unscheduled_timeout: 5m',
    '  pod_running_timeout: 48h',
    '  max_revivals: 3',
    '  default_decoration_configs:',
    "    '*':",
    '      timeout: 2h',
    '      grace_period: 15m',
    '      gcs_configuration:',
    '        bucket: s3://prow-logs',
    '        path_strategy: explicit',
    '      s3_credentials_secret: s3-credentials',
    '      utility_images:',
    '        clonerefs: us-docker.pkg.dev/k8s-infra-prow/images/clonerefs:v20240805-37a08f946',
    '        entrypoint: us-docker.pkg.dev/k8s-infra-prow/images/entrypoint:v20240805-37a08f946',
    '        initupload: us-docker.pkg.dev/k8s-infra-prow/images/initupload:v20240805-37a08f946',
    '        sidecar: us-docker.pkg.dev/k8s-infra-prow/images/sidecar:v20240805-37a08f946',
    '# The simulator keeps jobs and pods for a shorter time than Prow\'s defaults (7d / 24h) so that sinker is seen at work.',
    'sinker:',
    '  resync_period: 5m',
    '  max_prowjob_age: 6h',
    '  max_pod_age: 2h',
    '  terminated_pod_ttl: 1h',
    'tide:',
    '  sync_period: 2m',
    '  queries:',
    '  - orgs: [prowlab]',
    '    labels: [lgtm, approved]',
    '    missingLabels: [do-not-merge, do-not-merge/hold, do-not-merge/work-in-progress, needs-rebase]',
    '',
  ].join('\n');
}
