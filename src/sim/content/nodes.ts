// Node objects as a kubeadm-joined kubelet on an OpenStack server registers them (with the external cloud provider
// and Cinder CSI): labels, roles, taints, capacity/allocatable, addresses on the "cluster network", nodeInfo.
// @see k8s.io/kubernetes pkg/kubelet/kubelet_node_status.go (initialNode, setNodeStatus)
import { parseMemory } from '../../format/quantity.js';
import { timestamp, type KubeObject } from '../objects.js';
import { uninitializedTaint } from './capi.js';

/** What a Node is made from. */
export interface NodeInput {
  name: string;
  providerID: string;
  role: 'worker' | 'control-plane';
  capacity: { cpu: string; memory: string; pods: number };
  kubeletVersion: string;
  internalIP: string;
  image: string;
  flavor: string;
  /** Ids that identify the boot: systemUUID = server id. */
  serverId: string;
  bootId: string;
  machineId: string;
  nowMs: number;
  /** A freshly registered node carries CAPI's uninitialized taint and is not Ready yet. */
  fresh: boolean;
}

/** The OS image string a node reports for an image name like `ubuntu-2204-kube-v1.31.4`. */
function osImage(image: string): string {
  if (/ubuntu-?24/.test(image)) return 'Ubuntu 24.04.1 LTS';
  if (/flatcar/.test(image)) return 'Flatcar Container Linux by Kinvolk 4081.2.0 (Oklo)';
  return 'Ubuntu 22.04.5 LTS';
}

/** Memory in Ki as the kubelet reports capacity: the flavor's RAM minus what the kernel keeps. */
function capacityKi(memory: string): number {
  return Math.floor((parseMemory(memory) * 0.977) / 1024);
}

/** The Ready/pressure conditions of a healthy (or just-registered) kubelet. */
export function kubeletConditions(nowMs: number, ready: boolean): Record<string, unknown>[] {
  const t = timestamp(nowMs);
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: t, lastTransitionTime: t, reason, message });
  return [
    cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready
      ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      : cond('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized'),
  ];
}

/** A Node as the kubelet registers it, with the status it posts. */
export function nodeObject(input: NodeInput): KubeObject {
  const capKi = capacityKi(input.capacity.memory);
  const cpu = Number(input.capacity.cpu);
  const controlPlane = input.role === 'control-plane';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': input.flavor,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': 'RegionOne',
    'failure-domain.beta.kubernetes.io/zone': 'nova',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': input.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': input.flavor,
    'topology.cinder.csi.openstack.org/zone': 'nova',
    'topology.kubernetes.io/region': 'RegionOne',
    'topology.kubernetes.io/zone': 'nova',
  };
  if (controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const taints: Record<string, unknown>[] = [];
  if (controlPlane) taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
  if (input.fresh) taints.push({ ...uninitializedTaint });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: input.name,
      labels,
      annotations: {
        'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'cinder.csi.openstack.org': input.serverId }),
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'projectcalico.org/IPv4Address': `${input.internalIP}/24`,
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { providerID: input.providerID, ...(taints.length ? { taints } : {}) },
    status: {
      capacity: { cpu: String(cpu), 'ephemeral-storage': '81106868Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${capKi}Ki`, pods: String(input.capacity.pods) },
      // kube-reserved/system-reserved are unset; the hard eviction threshold memory.available<100Mi is subtracted.
      allocatable: { cpu: String(cpu), 'ephemeral-storage': '74748071445', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${capKi - 102400}Ki`, pods: String(input.capacity.pods) },
      conditions: kubeletConditions(input.nowMs, !input.fresh),
      addresses: [{ type: 'InternalIP', address: input.internalIP }, { type: 'Hostname', address: input.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: input.machineId,
        systemUUID: input.serverId,
        bootID: input.bootId,
        kernelVersion: /ubuntu-?24/.test(input.image) ? '6.8.0-49-generic' : '5.15.0-126-generic',
        osImage: osImage(input.image),
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: input.kubeletVersion,
        kubeProxyVersion: input.kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** The node's Lease in kube-node-lease, renewed by the kubelet every 10 s (nodeLeaseDurationSeconds 40). */
export function nodeLeaseObject(node: KubeObject, nowMs: number): KubeObject {
  const micro = new Date(nowMs).toISOString().replace('Z', '000Z');
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.metadata.name,
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name!, uid: node.metadata.uid! }],
    },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: 40, renewTime: micro },
  };
}
