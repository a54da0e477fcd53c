// The simulated machines behind the API: which servers' kubelets have hung. This is the only state outside the API
// server, because it stands for the hosts themselves (an overloaded worker whose kubelet stops reporting), which no
// Kubernetes object records.

/** State of the simulated hosts. */
export class World {
  private readonly hung = new Set<string>();
  private readonly listeners = new Set<(node: string) => void>();
  private lastRound = Date.now();

  /** Makes a node's kubelet stop: no heartbeats, no pod status, graceful deletions never finish. */
  hang(node: string): void {
    if (this.hung.has(node)) return;
    this.hung.add(node);
    for (const l of this.listeners) l(node);
  }

  /** Whether a node's kubelet is hung. */
  isHung(node: string): boolean {
    return this.hung.has(node);
  }

  /** Forgets a host once its server is deleted (a new server may reuse nothing of it). */
  forget(node: string): void {
    this.hung.delete(node);
  }

  /** The simulated kubelets finished a heartbeat round (real epoch ms). */
  heartbeatRoundDone(ms: number): void {
    this.lastRound = ms;
  }

  /**
   * Real ms since the simulated kubelets last completed a heartbeat round. They all live in this process: when it is
   * starved, every lease goes stale at once, which is the host's stall, not kubelets that stopped reporting.
   */
  heartbeatLagMs(now: number): number {
    return now - this.lastRound;
  }

  /** Called when a kubelet hangs. */
  onHang(listener: (node: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
