// Prow's components as Deployments in namespace `prow`, shaped after Prow's starter manifests
// (kubernetes-sigs/prow config/prow/cluster/starter/starter-s3.yaml): images, args, config volumes, secrets, probes.
// Usage stays within operations.md's observation for Prow's own pods: 1m–35m CPU and 12Mi–113Mi, tide and deck largest.
import type { KubeObject } from '../objects.js';
import type { Range } from './jobs.js';

/** One component. */
export interface ComponentConfig {
  name: string;
  replicas: number;
  cpuMilli: Range;
  memoryMi: Range;
  /** Extra args after the config flags. */
  args: string[];
  port?: number;
  /** Secrets mounted as volumes: volume name → secret name. */
  secrets: Record<string, string>;
  /** A PersistentVolumeClaim it mounts (ghproxy's cache). */
  pvc?: string;
  /** Reads the job config too. */
  jobConfig: boolean;
}

const version = 'v20240805-37a08f946';
/** The image of a component. */
export const componentImage = (name: string) => `us-docker.pkg.dev/k8s-infra-prow/images/${name}:${version}`;

/** The components of the simulated Prow. */
export const components: ComponentConfig[] = [
  { name: 'hook', replicas: 2, cpuMilli: [4, 14], memoryMi: [38, 64], args: ['--dry-run=false'], port: 8888, secrets: { hmac: 'hmac-token', 'github-app': 'github-app' }, jobConfig: true },
  { name: 'deck', replicas: 2, cpuMilli: [12, 35], memoryMi: [70, 113], args: ['--tide-url=http://tide/', '--hook-url=http://hook:8888/plugin-help', '--spyglass=true'], port: 8080, secrets: { 'github-app': 'github-app' }, jobConfig: true },
  { name: 'tide', replicas: 1, cpuMilli: [15, 33], memoryMi: [60, 108], args: ['--dry-run=false', '--history-uri=s3://prow-logs/tide-history.json'], port: 8888, secrets: { 'github-app': 'github-app', 's3-credentials': 's3-credentials' }, jobConfig: true },
  { name: 'crier', replicas: 1, cpuMilli: [3, 12], memoryMi: [30, 55], args: ['--github-workers=5', '--kubernetes-blob-storage-workers=5', '--blob-storage-workers=5'], secrets: { 'github-app': 'github-app', 's3-credentials': 's3-credentials' }, jobConfig: true },
  { name: 'horologium', replicas: 1, cpuMilli: [1, 4], memoryMi: [12, 24], args: ['--dry-run=false'], secrets: {}, jobConfig: true },
  { name: 'sinker', replicas: 1, cpuMilli: [1, 5], memoryMi: [18, 36], args: ['--dry-run=false'], secrets: {}, jobConfig: true },
  { name: 'ghproxy', replicas: 1, cpuMilli: [2, 9], memoryMi: [14, 30], args: ['--cache-dir=/cache', '--cache-sizeGB=99', '--legacy-disable-disk-cache-partitions-by-auth-header=false'], port: 8888, secrets: {}, pvc: 'ghproxy', jobConfig: false },
  { name: 'prow-controller-manager', replicas: 1, cpuMilli: [6, 22], memoryMi: [45, 90], args: ['--enable-controller=plank', '--dry-run=false'], secrets: { 'github-app': 'github-app' }, jobConfig: true },
  { name: 'statusreconciler', replicas: 1, cpuMilli: [1, 4], memoryMi: [20, 38], args: ['--dry-run=false', '--continue-on-error=true', '--plugin-config=/etc/plugins/plugins.yaml'], secrets: { 'github-app': 'github-app' }, jobConfig: true },
  { name: 'needs-rebase', replicas: 1, cpuMilli: [1, 3], memoryMi: [12, 22], args: ['--dry-run=false', '--github-token-path=/etc/github/token', '--hmac-secret-file=/etc/webhook/hmac'], port: 8888, secrets: { 'github-token': 'github-token', hmac: 'hmac-token' }, jobConfig: false },
  { name: 'cherrypicker', replicas: 1, cpuMilli: [1, 3], memoryMi: [12, 24], args: ['--dry-run=false', '--github-token-path=/etc/github/token', '--hmac-secret-file=/etc/webhook/hmac'], port: 8888, secrets: { 'github-token': 'github-token', hmac: 'hmac-token' }, jobConfig: false },
];

/** Where a secret volume is mounted. */
function secretMountPath(volume: string): string {
  if (volume === 'hmac') return '/etc/webhook';
  if (volume === 'github-token') return '/etc/github';
  if (volume === 'github-app') return '/etc/github-app';
  return `/etc/${volume}`;
}

/** Options for building a component Deployment. */
export interface ComponentOptions {
  namespace: string;
  /** CrashLoopBackOff: the config volume maps config.yaml to a misspelt path, so --config-path finds no file. */
  brokenConfig?: boolean;
}

/** The Deployment of one component. */
export function componentDeployment(c: ComponentConfig, opts: ComponentOptions): KubeObject {
  const labels = { app: c.name };
  const volumes: Record<string, unknown>[] = [
    { name: 'config', configMap: { name: 'config', ...(opts.brokenConfig ? { items: [{ key: 'config.yaml', path: 'config.yml' }] } : {}) } },
  ];
  const mounts: Record<string, unknown>[] = [{ name: 'config', mountPath: '/etc/config', readOnly: true }];
  const args = ['--config-path=/etc/config/config.yaml'];
  if (c.jobConfig) {
    volumes.push({ name: 'job-config', configMap: { name: 'job-config' } });
    mounts.push({ name: 'job-config', mountPath: '/etc/job-config', readOnly: true });
    args.push('--job-config-path=/etc/job-config');
  }
  if (c.name === 'statusreconciler' || c.name === 'hook') {
    volumes.push({ name: 'plugins', configMap: { name: 'plugins' } });
    mounts.push({ name: 'plugins', mountPath: '/etc/plugins', readOnly: true });
  }
  for (const [volume, secret] of Object.entries(c.secrets)) {
    volumes.push({ name: volume, secret: { secretName: secret } });
    mounts.push({ name: volume, mountPath: secretMountPath(volume), readOnly: true });
  }
  if (c.pvc) {
    volumes.push({ name: 'cache', persistentVolumeClaim: { claimName: c.pvc } });
    mounts.push({ name: 'cache', mountPath: '/cache' });
  }
  const container: Record<string, unknown> = {
    name: c.name,
    image: componentImage(c.name),
    args: [...args, ...c.args],
    resources: { requests: { cpu: `${Math.max(10, c.cpuMilli[1])}m`, memory: `${Math.ceil(c.memoryMi[1] / 16) * 16}Mi` } },
    volumeMounts: mounts,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
  if (c.port) {
    container.ports = [{ name: 'http', containerPort: c.port, protocol: 'TCP' }];
    container.livenessProbe = { httpGet: { path: '/healthz', port: 8081, scheme: 'HTTP' }, initialDelaySeconds: 3, periodSeconds: 3, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };
    container.readinessProbe = { httpGet: { path: '/healthz/ready', port: 8081, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 3, timeoutSeconds: 600, successThreshold: 1, failureThreshold: 3 };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: c.name, namespace: opts.namespace, labels },
    spec: {
      replicas: c.replicas,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: c.name,
          terminationGracePeriodSeconds: c.name === 'hook' ? 180 : 30,
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
          schedulerName: 'default-scheduler',
          securityContext: {},
          containers: [container],
          volumes,
        },
      },
    },
  };
}

/** Usage range of a component by name (the `app` label). */
export function componentProfile(name: string): ComponentConfig | undefined {
  return components.find((c) => c.name === name);
}
