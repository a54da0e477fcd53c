// metrics.k8s.io/v1beta1, computed on request from the simulation like metrics-server serves what kubelets
// report: only pods Running on a node whose kubelet is alive, quantities in metrics-server's canonical forms.
// @see kubernetes-sigs/metrics-server pkg/api/pod.go, pkg/storage/types.go
import { formatCpuQuantity, formatMemoryQuantity } from '../format/quantity.js';
import { getPath, isObject, timestamp, type KubeObject } from './objects.js';
import type { ObjectStore } from './store.js';
import type { VirtualResource } from './registry.js';
import { nodeOverhead, podUsage } from './usage.js';

const window = '20.044s';

function kubeletAlive(node: KubeObject | undefined): boolean {
  const conditions = getPath(node, 'status.conditions');
  return Array.isArray(conditions) && conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
}

/** The NodeMetrics and PodMetrics providers over the store's nodes and pods. */
export function metricsProviders(store: ObjectStore, now: () => number): { nodes: VirtualResource; pods: VirtualResource } {
  const runningPods = () => {
    const nodes = new Map(store.list('nodes').map((n) => [n.metadata.name!, n]));
    return store
      .list('pods')
      .filter((p) => getPath(p, 'status.phase') === 'Running' && kubeletAlive(nodes.get(String(getPath(p, 'spec.nodeName')))));
  };
  return {
    nodes: {
      list: () => {
        const t = now();
        const perNode = new Map<string, { cpu: number; memory: number }>();
        for (const pod of runningPods()) {
          const node = String(getPath(pod, 'spec.nodeName'));
          const sum = perNode.get(node) ?? { cpu: 0, memory: 0 };
          for (const c of podUsage(pod, t).containers) {
            sum.cpu += c.cpuMilli;
            sum.memory += c.memoryBytes;
          }
          perNode.set(node, sum);
        }
        return store
          .list('nodes')
          .filter(kubeletAlive)
          .map((node) => {
            const base = nodeOverhead(node);
            const pods = perNode.get(node.metadata.name!) ?? { cpu: 0, memory: 0 };
            return {
              kind: 'NodeMetrics',
              apiVersion: 'metrics.k8s.io/v1beta1',
              metadata: { name: node.metadata.name, creationTimestamp: timestamp(t), labels: node.metadata.labels ?? {} },
              timestamp: timestamp(t - 5000),
              window,
              usage: { cpu: formatCpuQuantity(base.cpuMilli + pods.cpu), memory: formatMemoryQuantity(base.memoryBytes + pods.memory) },
            } as KubeObject;
          });
      },
    },
    pods: {
      list: (ns) => {
        const t = now();
        return runningPods()
          .filter((p) => ns === undefined || p.metadata.namespace === ns)
          .map((pod) => ({
            kind: 'PodMetrics',
            apiVersion: 'metrics.k8s.io/v1beta1',
            metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: timestamp(t), labels: pod.metadata.labels ?? {} },
            timestamp: timestamp(t - 5000),
            window,
            containers: podUsage(pod, t).containers.map((c) => ({
              name: c.name,
              usage: { cpu: formatCpuQuantity(c.cpuMilli), memory: formatMemoryQuantity(c.memoryBytes) },
            })),
          }) as KubeObject);
      },
    },
  };
}
