// The nodes table: health with the heartbeat's age, usage as `kubectl top node` computes it, requests as
// `kubectl describe node` sums them, pods and Prow job pods per node, and the Machine behind each node.
// @see https://github.com/kubernetes/kubectl/blob/master/pkg/metricsutil/metrics_printer.go (percentages)
// @see https://github.com/kubernetes/kubectl/blob/master/pkg/describe/describe.go (describeNodeResource)
import { ageSince, humanAge } from '../../format/duration.js';
import { percentOf } from '../../format/quantity.js';
import { serverIdFromProviderID } from '../capo.js';
import type { ClusterModel, MachineView, NodeView, PodView, Resources } from '../types.js';
import { compareText } from '../read.js';

/** Usage and requests of one resource on a node; usage is undefined when metrics have no sample for it. */
export interface NodeResourceColumn {
  allocatable: number;
  usage?: number;
  usagePercent?: number;
  requested: number;
  requestedPercent: number;
}

/** One row of the nodes table. */
export interface NodeRow {
  name: string;
  /** The Ready condition: Ready, NotReady or Unknown (kubelet stopped reporting). */
  status: 'Ready' | 'NotReady' | 'Unknown';
  /** kubectl's STATUS column, e.g. "Ready,SchedulingDisabled". */
  statusText: string;
  heartbeatAge?: string;
  heartbeatAgeMs?: number;
  roles: string[];
  version?: string;
  age: string;
  schedulable: boolean;
  /** Noteworthy taints: unreachable, not-ready, unschedulable, and any other NoSchedule/NoExecute taint. */
  taints: string[];
  unreachable: boolean;
  pressure: string[];
  cpu: NodeResourceColumn;
  memory: NodeResourceColumn;
  pods: number;
  podCapacity: number;
  prowJobPods: number;
  machine?: { namespace: string; name: string; matchedBy: 'nodeRef' | 'providerID' };
}

/** Pods that still hold resources on their node (kubectl describe node skips Succeeded and Failed pods). */
export function isNonTerminated(pod: PodView): boolean {
  return pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

function column(allocatable: number, requested: number, usage: number | undefined): NodeResourceColumn {
  const out: NodeResourceColumn = { allocatable, requested, requestedPercent: percentOf(requested, allocatable) };
  if (usage !== undefined) {
    out.usage = usage;
    out.usagePercent = percentOf(usage, allocatable);
  }
  return out;
}

/** Machines indexed by node name (nodeRef) and by server UUID (providerID), built once per table. */
export interface MachineIndex {
  byNode: Map<string, MachineView>;
  byServer: Map<string, MachineView>;
}

/** Indexes machines for machineForNode. */
export function indexMachines(machines: Iterable<MachineView>): MachineIndex {
  const index: MachineIndex = { byNode: new Map(), byServer: new Map() };
  for (const m of machines) {
    if (m.nodeName) index.byNode.set(m.nodeName, m);
    const server = serverIdFromProviderID(m.providerID);
    if (server && !index.byServer.has(server)) index.byServer.set(server, m);
  }
  return index;
}

/** The Machine of a node: the one whose nodeRef names it, else the one with the same server UUID. */
export function machineForNode(node: NodeView, index: MachineIndex): NodeRow['machine'] {
  const byRef = index.byNode.get(node.name);
  if (byRef) return { namespace: byRef.namespace, name: byRef.name, matchedBy: 'nodeRef' };
  const serverId = serverIdFromProviderID(node.providerID);
  const byProvider = serverId ? index.byServer.get(serverId) : undefined;
  return byProvider ? { namespace: byProvider.namespace, name: byProvider.name, matchedBy: 'providerID' } : undefined;
}

const noteworthy = new Set(['NoSchedule', 'NoExecute']);

/** The nodes table, sorted by name. `usage` holds the latest metrics sample per node (omit nodes without one). */
export function summarizeNodes(model: ClusterModel, usage: ReadonlyMap<string, Resources>, nowMs: number): NodeRow[] {
  const podsByNode = new Map<string, PodView[]>();
  for (const pod of model.pods.values()) {
    if (!pod.nodeName || !isNonTerminated(pod)) continue;
    const list = podsByNode.get(pod.nodeName) ?? [];
    list.push(pod);
    podsByNode.set(pod.nodeName, list);
  }
  const machines = indexMachines(model.machines.values());
  return [...model.nodes.values()]
    .sort((a, b) => compareText(a.name, b.name))
    .map((node) => {
      const pods = podsByNode.get(node.name) ?? [];
      const requested = pods.reduce((sum, p) => ({ cpuMilli: sum.cpuMilli + p.requests.cpuMilli, memoryBytes: sum.memoryBytes + p.requests.memoryBytes }), { cpuMilli: 0, memoryBytes: 0 });
      const status = node.ready === 'True' ? 'Ready' : node.ready === 'False' ? 'NotReady' : 'Unknown';
      const heartbeat = node.lastHeartbeat ? Date.parse(node.lastHeartbeat) : Number.NaN;
      const sample = usage.get(node.name);
      const row: NodeRow = {
        name: node.name,
        status,
        statusText: node.unschedulable ? `${status},SchedulingDisabled` : status,
        roles: node.roles,
        age: ageSince(node.created, nowMs),
        schedulable: !node.unschedulable,
        taints: node.taints.filter((t) => noteworthy.has(t.effect)).map((t) => `${t.key}:${t.effect}`),
        unreachable: node.taints.some((t) => t.key === 'node.kubernetes.io/unreachable'),
        pressure: node.pressure,
        cpu: column(node.allocatable.cpuMilli, requested.cpuMilli, sample?.cpuMilli),
        memory: column(node.allocatable.memoryBytes, requested.memoryBytes, sample?.memoryBytes),
        pods: pods.length,
        podCapacity: node.allocatable.pods,
        prowJobPods: pods.filter((p) => p.job && p.phase === 'Running').length,
      };
      if (node.kubeletVersion) row.version = node.kubeletVersion;
      if (!Number.isNaN(heartbeat)) {
        row.heartbeatAgeMs = nowMs - heartbeat;
        row.heartbeatAge = humanAge(nowMs - heartbeat);
      }
      const machine = machineForNode(node, machines);
      if (machine) row.machine = machine;
      return row;
    });
}
