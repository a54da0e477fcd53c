// `--plan`: every step's preview in order, changing nothing. Later steps cannot see what earlier steps would do,
// so facts an earlier step would learn are kept in a scratch memory and steps show placeholders for the rest
// (e.g. the new bastion's address). Dry runs still go to the server: they are read-only by definition.
import type { KubeClient } from '../kube/client.js';
import type { Discovery } from '../kube/discovery.js';
import type { ConnectionControl } from './connection-types.js';
import type { JsonValue, Runbook, RunContext, RunProfile, Step, StepPlan } from './types.js';

/** One step's preview, or why it could not be previewed. */
export interface PlannedStep {
  index: number;
  id: string;
  title: string;
  plan?: StepPlan;
  error?: string;
}

/** What a plan needs. */
export interface PlanOptions {
  runbook: Runbook<never>;
  params: Record<string, JsonValue>;
  client: KubeClient;
  discovery: Discovery;
  profile: RunProfile;
  connection?: ConnectionControl;
  now?: () => number;
}

/** Previews every step without applying anything. */
export async function planRunbook(options: PlanOptions): Promise<PlannedStep[]> {
  const memory: Record<string, JsonValue> = {};
  const signal = new AbortController().signal;
  const ctx: RunContext<Record<string, unknown>> = {
    params: options.params,
    client: options.client,
    discovery: options.discovery,
    profile: options.profile,
    memory,
    remember: async (key, value) => {
      memory[key] = value;
    },
    inputs: {},
    acknowledged: new Set(),
    planning: true,
    ...(options.connection ? { connection: options.connection } : {}),
    clusterMs: (s) => s * 1000,
    now: options.now ?? Date.now,
    progress: () => undefined,
    signal,
  };
  const out: PlannedStep[] = [];
  for (const [index, step] of (options.runbook.steps as readonly Step<Record<string, unknown>>[]).entries()) {
    try {
      out.push({ index, id: step.id, title: step.title, plan: await step.preview(ctx) });
    } catch (err) {
      out.push({ index, id: step.id, title: step.title, error: (err as Error).message });
    }
  }
  return out;
}
