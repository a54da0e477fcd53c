// Messages between the benchmark and its dashboard probe (bench/probe/dashboard.ts), over the IPC channel.

/** How the probe connects and draws. */
export interface ProbeSettings {
  kubeconfig: string;
  context: string;
  proxyUrl: string;
  columns: number;
  rows: number;
  /** Give up waiting for a complete model after this long. */
  timeoutMs: number;
}

/** Process memory as the probe sees it (bytes). */
export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  /** V8's heap as reserved (committed) against used: the gap is free heap V8 has not given back. */
  heapTotal: number;
}

/** Object counts of the model. */
export interface Counts {
  nodes: number;
  pods: number;
  prowJobs: number;
}

/** One key press of a script: the bytes a terminal sends for it. */
export interface Keystroke {
  data: string;
  label: string;
}

/** Latency of one key press (ms); `null` when it changed nothing, or no frame showed it within the limit. */
export interface KeyTiming {
  label: string;
  ms: number | null;
  changed: boolean;
}

export type ProbeRequest =
  | { type: 'memory'; collect: boolean }
  | { type: 'keys'; script: Keystroke[]; gapMs: number }
  | { type: 'watch'; names: string[] }
  | { type: 'applied' }
  | { type: 'frame' }
  | { type: 'quit' };

export type ProbeReply =
  | { type: 'complete'; at: number; modelAt: number; counts: Counts; memory: Memory }
  | { type: 'memory'; memory: Memory; counts: Counts }
  | { type: 'keys'; timings: KeyTiming[]; frames: number }
  | { type: 'watching' }
  | { type: 'applied'; received: number; applied: number; cpu: NodeJS.CpuUsage; elu: { idle: number; active: number; utilization: number } }
  | { type: 'frame'; text: string }
  | { type: 'error'; message: string };
