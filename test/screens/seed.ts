// A seeded store for screen tests: the demo cluster of operations.md by hand (one control-plane node, two workers of
// which prow-md-0-xx8k7 stopped reporting 4 minutes ago, a worker pool at 2/2 with 7 job pods waiting, a bastion at
// 203.0.113.10 on ubuntu-22.04, needs-rebase missing its secret), fed through the store's own actions.
import { createAppStore, type AppStore } from '../../src/store/app-store.js';
import { createShellStore, type ShellStore, type SessionInfo } from '../../src/store/shell-store.js';
import type { Discovery, FamilyId, FamilySupport } from '../../src/kube/discovery.js';
import type { SourceEvent } from '../../src/kube/model.js';
import type {
  DeploymentView, EventView, KindId, MachineSetView, MachineView, NodeView, OpenStackClusterView, PodView, ProwJobView, RolloutOwnerView, ViewsByKind,
} from '../../src/kube/types.js';
import type { TunnelState } from '../../src/tunnel/types.js';

/** The fixed time of every seeded test. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
/** An ISO time `minutes` before NOW. */
export const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
const GI = 2 ** 30;
const MI = 2 ** 20;

const meta = (name: string, namespace?: string, created = ago(600)) => ({ name, uid: `uid-${name}`, resourceVersion: '1', created, ...(namespace ? { namespace } : {}) });

/** The four kubelet conditions as a healthy kubelet reports them, all with the same heartbeat. */
function kubeletConditions(ready: string, heartbeat: string, reason?: string): NodeView['conditions'] {
  const healthy = ready === 'True';
  const condition = (type: string, status: string, ok: string) => ({ type, status, reason: healthy ? ok : (reason ?? ok), lastHeartbeatTime: heartbeat });
  return [
    condition('MemoryPressure', healthy ? 'False' : 'Unknown', 'KubeletHasSufficientMemory'),
    condition('DiskPressure', healthy ? 'False' : 'Unknown', 'KubeletHasNoDiskPressure'),
    condition('PIDPressure', healthy ? 'False' : 'Unknown', 'KubeletHasSufficientPID'),
    condition('Ready', ready, 'KubeletReady'),
  ];
}

function node(name: string, extra: Partial<NodeView> = {}): NodeView {
  const ready = extra.ready ?? 'True';
  const heartbeat = extra.lastHeartbeat ?? ago(0.2);
  return {
    ...meta(name), roles: [], kubeletVersion: 'v1.31.4', unschedulable: false, ready, lastHeartbeat: heartbeat, pressure: [], taints: [],
    conditions: kubeletConditions(ready, heartbeat, extra.readyReason),
    allocatable: { cpuMilli: 8000, memoryBytes: 16 * GI, pods: 110 }, capacity: { cpuMilli: 8000, memoryBytes: 16 * GI, pods: 110 }, volumesAttached: 0,
    providerID: `openstack:///${name}-uuid`, ...extra,
  };
}

function machine(name: string, nodeName: string | undefined, extra: Partial<MachineView> = {}): MachineView {
  return {
    ...meta(name, 'default'), namespace: 'default', clusterName: 'prow', phase: 'Running', version: 'v1.31.4', isControlPlane: false, conditions: [{ type: 'Ready', status: 'True' }],
    legacyConditions: [], markedForDeletion: false, excludeNodeDraining: false, ...(nodeName ? { nodeName, providerID: `openstack:///${nodeName}-uuid` } : {}), ...extra,
  };
}

function pod(namespace: string, name: string, extra: Partial<PodView> = {}): PodView {
  return {
    ...meta(name, namespace, ago(30)), namespace, phase: 'Running', status: 'Running', readyContainers: 1, containers: 1, restarts: 0, waitingReasons: [],
    requests: { cpuMilli: 100, memoryBytes: 128 * MI }, containerRequests: [{ name: 'main', cpuMilli: 100, memoryBytes: 128 * MI }], labels: {}, ...extra,
  };
}

function jobPod(id: string, job: string, nodeName: string | undefined, phase = 'Running'): PodView {
  return pod('test-pods', id, {
    ...(nodeName ? { nodeName } : {}), phase, status: phase, labels: { 'prow.k8s.io/id': id },
    job: { job, prowJobId: id, type: 'presubmit' }, requests: { cpuMilli: 500, memoryBytes: GI }, containerRequests: [{ name: 'test', cpuMilli: 500, memoryBytes: GI }],
  });
}

function prowJob(id: string, job: string, state: string, startedMinutesAgo: number, extra: Partial<ProwJobView> = {}): ProwJobView {
  return {
    ...meta(id, 'prow', ago(startedMinutesAgo)), namespace: 'prow', job, type: 'presubmit', state, org: 'kubernetes', repo: 'test-infra',
    pulls: [{ number: 4242, author: 'alice' }], started: ago(startedMinutesAgo), podName: id,
    requests: [{ name: 'test', cpuMilli: 500, memoryBytes: GI }], ...(state === 'success' || state === 'failure' ? { completed: ago(startedMinutesAgo - 5) } : {}), ...extra,
  };
}

function rolloutOwner(kind: RolloutOwnerView['kind'], name: string, counters: Partial<RolloutOwnerView>): RolloutOwnerView {
  return { ...meta(name, 'default'), namespace: 'default', kind, clusterName: 'prow', version: 'v1.31.4', paused: false, conditions: [], templateDeletion: {}, ...counters };
}

function deployment(name: string, desired: number, ready: number): DeploymentView {
  return { ...meta(name, 'prow'), namespace: 'prow', desired, ready, updated: desired, available: ready, selector: { app: name } };
}

const workers = ['prow-md-0-7vfcd', 'prow-md-0-xx8k7'];

/** Every view of the seeded cluster, by kind. */
export function seedViews(): { [K in KindId]: ViewsByKind[K][] } {
  const unreachable = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }];
  const nodes = [
    node('prow-control-plane-kdqx4', { roles: ['control-plane'], allocatable: { cpuMilli: 4000, memoryBytes: 4 * GI, pods: 110 } }),
    node('prow-md-0-7vfcd'),
    node('prow-md-0-xx8k7', { ready: 'Unknown', readyReason: 'NodeStatusUnknown', readyMessage: 'Kubelet stopped posting node status.', lastHeartbeat: ago(4), taints: unreachable }),
  ];
  const machineSets: MachineSetView[] = [{ ...meta('prow-md-0-abc12', 'default'), namespace: 'default', deploymentName: 'prow-md-0', templateHash: 'abc12', revision: 1, desired: 2, replicas: 2, ready: 1, available: 1 }];
  const machines = [
    machine('prow-control-plane-kdqx4', 'prow-control-plane-kdqx4', { isControlPlane: true, controlPlaneName: 'prow-control-plane', owner: { kind: 'KubeadmControlPlane', name: 'prow-control-plane' } }),
    ...workers.map((n) => machine(`prow-md-0-abc12-${n.slice(-5)}`, n, { deploymentName: 'prow-md-0', owner: { kind: 'MachineSet', name: 'prow-md-0-abc12' }, templateHash: 'abc12' })),
  ];
  machines[2]!.conditions = [{ type: 'Ready', status: 'False', reason: 'NodeNotReady', message: 'Node prow-md-0-xx8k7 is not ready' }];
  const jobs = ['pull-test-infra-unit', 'pull-test-infra-gosec', 'pull-test-infra-golangci-lint'];
  const prowJobs: ProwJobView[] = [];
  const pods: PodView[] = [];
  for (let i = 0; i < 6; i++) {
    const id = `run-${i}`;
    prowJobs.push(prowJob(id, jobs[i % 3]!, 'pending', 10 + i));
    pods.push(jobPod(id, jobs[i % 3]!, 'prow-md-0-7vfcd'));
  }
  for (let i = 0; i < 7; i++) {
    const id = `wait-${i}`;
    prowJobs.push(prowJob(id, jobs[i % 3]!, 'pending', 1));
    pods.push(jobPod(id, jobs[i % 3]!, undefined, 'Pending'));
  }
  prowJobs.push(prowJob('done-1', 'pull-test-infra-unit', 'success', 60), prowJob('done-2', 'periodic-stale', 'failure', 90, { type: 'periodic', pulls: [], org: 'kubernetes', repo: 'test-infra' }));
  const components = ['crier', 'deck', 'hook', 'needs-rebase', 'tide'];
  const deployments = components.map((c) => (c === 'needs-rebase' ? deployment(c, 1, 0) : deployment(c, c === 'hook' || c === 'deck' ? 2 : 1, c === 'hook' || c === 'deck' ? 2 : 1)));
  for (const c of components) {
    const broken = c === 'needs-rebase';
    pods.push(pod('prow', `${c}-5d8f7-abcde`, { nodeName: 'prow-control-plane-kdqx4', labels: { app: c }, ...(broken ? { phase: 'Pending', status: 'ContainerCreating', readyContainers: 0, waitingReasons: ['ContainerCreating'] } : {}) }));
  }
  const events: EventView[] = [{
    ...meta('needs-rebase.1', 'prow'), namespace: 'prow', type: 'Warning', reason: 'FailedMount', count: 7, lastSeen: ago(1),
    message: 'MountVolume.SetUp failed for volume "github-token" : secret "github-token" not found', involved: { kind: 'Pod', namespace: 'prow', name: 'needs-rebase-5d8f7-abcde' },
  }, {
    ...meta('xx8k7.1', undefined), namespace: 'default', type: 'Warning', reason: 'NodeNotReady', count: 1, lastSeen: ago(4),
    message: 'Node is not ready', involved: { kind: 'Node', name: 'prow-md-0-xx8k7' },
  }];
  const openstackClusters: OpenStackClusterView[] = [{
    ...meta('prow', 'default'), namespace: 'default', ready: true,
    bastion: { enabled: true, declared: true, image: { kind: 'filter', name: 'ubuntu-22.04' }, floatingIP: '203.0.113.10', state: 'ACTIVE' },
    apiServerLoadBalancer: { enabled: true, allowedCidrs: ['10.6.0.0/24'] },
  }];
  return {
    nodes, pods, events, deployments, machines, machineSets, prowJobs, openstackClusters, openstackMachines: [],
    machineDeployments: [rolloutOwner('MachineDeployment', 'prow-md-0', { desired: 2, replicas: 2, ready: 1, available: 1, upToDate: 2 })],
    controlPlanes: [rolloutOwner('KubeadmControlPlane', 'prow-control-plane', { desired: 1, replicas: 1, ready: 1, available: 1, upToDate: 1 })],
  };
}

/** Options of seededStores. */
export interface SeedOptions {
  metrics?: boolean;
  /** Families reported as not installed, with their reason. */
  notInstalled?: Partial<Record<FamilyId, string>>;
  session?: Partial<SessionInfo>;
  tunnel?: TunnelState;
  /** Replaces the seeded views of some kinds. */
  views?: Partial<{ [K in KindId]: ViewsByKind[K][] }>;
  onSwitchContext?: (name: string) => void;
}

const familyOf: Partial<Record<KindId, FamilyId>> = {
  machines: 'capi', machineSets: 'capi', machineDeployments: 'capi', controlPlanes: 'kcp', openstackClusters: 'capo', openstackMachines: 'capo', prowJobs: 'prow',
};

/** An app store and a shell store holding the seeded cluster, connected, synced and with three metrics polls. */
export function seededStores(options: SeedOptions = {}): { store: AppStore; shell: ShellStore } {
  const store = createAppStore({ now: () => NOW, batchIntervalMs: 0 });
  const { actions } = store.getState();
  const notInstalled = { ...options.notInstalled, ...(options.metrics === false ? { metrics: 'Metrics API is not installed: the API group metrics.k8s.io is not served' } : {}) };
  const support = (id: FamilyId): FamilySupport => (notInstalled[id] ? { installed: false, reason: notInstalled[id]! } : { installed: true, version: 'v1' });
  const discovery: Discovery = { serverVersion: 'v1.31.4', families: { capi: support('capi'), kcp: support('kcp'), capo: support('capo'), prow: support('prow'), metrics: support('metrics') } };
  const proxy = options.tunnel?.listen ? { proxyUrl: `socks5h://${options.tunnel.listen}` } : {};
  actions.connecting({ context: 'prod-prow', cluster: 'prow', server: 'https://api.prow.internal:6443', user: 'admin', ...proxy });
  actions.connected(discovery);
  const views = { ...seedViews(), ...options.views };
  for (const [kind, items] of Object.entries(views) as [KindId, ViewsByKind[KindId][]][]) {
    const family = familyOf[kind];
    const source = { id: kind, kind, path: `/${kind}` };
    if (family && notInstalled[family]) {
      actions.sourceState(source, { phase: 'not-installed', reason: notInstalled[family]! });
      continue;
    }
    actions.sourceState(source, { phase: 'watching', synced: true, lists: 1, skipped: 0 });
    actions.enqueue({ kind, event: { type: 'replace', items } } as SourceEvent);
  }
  actions.flush();
  if (options.metrics !== false) {
    for (let i = 3; i >= 1; i--) {
      const at = NOW - i * 15_000;
      actions.recordMetrics({
        at,
        nodes: [
          { name: 'prow-control-plane-kdqx4', cpuMilli: 293, memoryBytes: 2772 * MI, timestamp: new Date(at).toISOString() },
          { name: 'prow-md-0-7vfcd', cpuMilli: 7773 - i * 300, memoryBytes: 11212 * MI, timestamp: new Date(at).toISOString() },
        ],
        pods: Array.from({ length: 6 }, (_, n) => ({ namespace: 'test-pods', name: `run-${n}`, cpuMilli: 700 + n * 10 + i, memoryBytes: (1200 + n) * MI, timestamp: new Date(at).toISOString() })),
      });
    }
  }
  const shell = createShellStore({
    session: { context: 'prod-prow', profile: 'prod', contexts: ['prod-prow', 'staging'], ...options.session },
    ...(options.tunnel ? { tunnel: options.tunnel } : {}),
    ...(options.onSwitchContext ? { onSwitchContext: options.onSwitchContext } : {}),
    now: () => NOW,
  });
  return { store, shell };
}

/** A connected tunnel state as the header shows it. */
export const connectedTunnel: TunnelState = {
  phase: 'connected', target: 'ubuntu@203.0.113.10:22', listen: '127.0.0.1:6443', attempt: 1, connectedSince: NOW - 60_000,
  openChannels: 3, totalChannels: 9, bytesIn: 1000, bytesOut: 500, rttMs: 12,
};
