// Simulated durations, in simulated seconds (divided by the clock's timeScale in real time). Together a new worker
// takes about a minute from Machine to Ready Node, as on a typical OpenStack cloud.

/** How long simulated things take. */
export const timings = {
  /** Nova BUILD → ACTIVE of a server. */
  serverBuildSeconds: 35,
  /** Boot, cloud-init and kubeadm join after ACTIVE, until the kubelet registers the Node. */
  kubeletBootSeconds: 18,
  /** CNI comes up on a fresh node: NotReady → Ready. */
  nodeReadySeconds: 6,
  /** Nova deletes a server. */
  serverDeleteSeconds: 4,
  /** The bastion server builds. */
  bastionBuildSeconds: 15,
  /** Octavia applies a listener change (allowed CIDRs). */
  loadBalancerUpdateSeconds: 8,
  /** Kubelet lease renewal (nodeLeaseDurationSeconds 40 / 4). */
  leaseRenewSeconds: 10,
  /** Kubelet node status report when nothing changed (nodeStatusReportFrequency is 5m upstream; shorter here so heartbeats show). */
  nodeStatusReportSeconds: 60,
  /** Node-lifecycle controller: monitor period and grace period (cluster-apis.md §5.1: 50 s in recent releases). */
  nodeMonitorPeriodSeconds: 5,
  nodeMonitorGraceSeconds: 50,
  /** Image pull + container start of a pod. */
  containerStartSeconds: 3,
  /** A live kubelet finishing a graceful deletion (containers exit on SIGTERM). */
  podTerminationSeconds: 2,
  /** Kubelet retry of a failed volume mount (grows to 2m2s upstream; kept flat here). */
  mountRetrySeconds: 30,
  /** PodGC waits this long before force-deleting pods of a deleted node (podgc quarantine). */
  podGcQuarantineSeconds: 40,
} as const;

/** The smallest real interval a periodic simulated loop may use, so a very fast timeScale cannot spin the CPU. */
export const minRealIntervalMs = 200;
