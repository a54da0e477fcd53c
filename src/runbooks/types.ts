// The shapes of runbooks as data (Runbook, Step, StepPlan) and of a run as the engine reports it (RunState). Steps
// only read through their context and return plans; the engine sends the plans' requests, journals every
// transition and audits every mutation, so no step can change the cluster behind the operator's back.
// @see /work/shared/ARCHITECTURE.md ("Runbooks are data, the engine is small")
// @see /work/shared/reference/codebase-anchors.md (Anchor 4: sqitch, Terraform, kubectl drain, Argo Rollouts)
import type { ActionPlan } from '../kube/actions.js';
import type { KubeClient } from '../kube/client.js';
import type { Discovery } from '../kube/discovery.js';
import type { ConnectionControl } from './connection-types.js';

/** A JSON value that survives the journal. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The runbooks of the catalog. */
export type RunbookId = 'recover-node' | 'bastion-swap' | 'scale-md';

/** A check's outcome: ok, or not yet (with what blocks), or failed for good (`fatal`). */
export interface Check {
  ok: boolean;
  /** One line for the progress display: what was seen. */
  text: string;
  /** Extra lines (conditions, events, blocking pods). */
  details?: string[];
  /** Stop waiting: this will not get better by itself. */
  fatal?: boolean;
}

/** Something the operator must acknowledge before the step can be confirmed (e.g. a risky pod, one by one). */
export interface Acknowledgement {
  id: string;
  text: string;
}

/** A value the operator may edit before confirming; editing re-previews the step. */
export interface InputField {
  id: string;
  label: string;
  value: string;
  hint?: string;
}

/** A request as previewed: the exact call, its rendered diff from the server's dry run, and what it is for. */
export interface PlannedRequest {
  plan: ActionPlan;
  /** `~ spec.replicas: 2 → 3` lines from diffJson(current, dry-run result); empty for requests not dry-run. */
  diff: string[];
}

/** What a step's preview returns: the facts, the exact mutations, and what stands in the way. */
export interface StepPlan {
  summary: string;
  /** Read-only findings to show (inspection output, commands an operator may want). */
  lines: string[];
  /** The mutations, applied in order by the engine exactly as shown. */
  requests: PlannedRequest[];
  /** Local actions the step's apply() performs after the requests (switch connection, trust a host key …). */
  actions: string[];
  warnings: string[];
  /** Any blocker disables confirmation. */
  blockers: string[];
  acknowledgements: Acknowledgement[];
  inputs: InputField[];
  /** A dangerous step: in a production profile the operator types this name to confirm. */
  danger?: { target: string; what: string };
  /** Nothing to do (already done, or not needed for these parameters); the step completes without applying. */
  skip?: string;
  /** Values the step's apply/verify need (serialisable: they are journaled with the plan). */
  data?: { [key: string]: JsonValue };
}

/** The profile settings runbooks read (the composition root maps its Profile to this). */
export interface RunProfile {
  name: string;
  production: boolean;
  readOnly: boolean;
  openstackCluster?: { name: string; namespace: string };
  echoIpUrl?: string;
  /** Highest replica count scale-md accepts (default 10). */
  scaleMax: number;
  /** Default MachineDeployment for scale-md. */
  machineDeployment?: string;
  testPodsNamespace: string;
  prowNamespace: string;
}

/** Everything a step may use; steps never write except by returning plans. */
export interface RunContext<P = Record<string, unknown>> {
  params: P;
  /** The current connection (bastion-swap switches it). */
  client: KubeClient;
  discovery: Discovery;
  profile: RunProfile;
  /** Facts learned by earlier steps (journaled, so a resumed run knows them). */
  memory: Readonly<Record<string, JsonValue>>;
  remember(key: string, value: JsonValue): Promise<void>;
  /** Operator-edited input values by id. */
  inputs: Readonly<Record<string, string>>;
  acknowledged: ReadonlySet<string>;
  /** Only previewing every step (`--plan`): later steps use placeholders for what earlier steps would learn. */
  planning: boolean;
  connection?: ConnectionControl;
  /** Real milliseconds per cluster second (1000 on a real cluster; smaller on a sped-up simulator). */
  clusterMs(seconds: number): number;
  now(): number;
  /** Reports progress text while a verify waits. */
  progress(text: string): void;
  signal: AbortSignal;
}

/** How a step waits for the cluster to show its effect. */
export interface VerifySpec<P> {
  /** Cluster seconds to wait at most. */
  timeoutSeconds(ctx: RunContext<P>, plan: StepPlan): number;
  /** Real milliseconds between checks (default 500, at least 100). */
  intervalMs?: number;
  check(ctx: RunContext<P>, plan: StepPlan): Promise<Check>;
}

/** One step: preview (read-only) → confirm → apply (the previewed requests, then local actions) → verify. */
export interface Step<P = Record<string, unknown>> {
  id: string;
  title: string;
  /** False for steps that only follow or summarise: they start verifying (or finish) without asking. */
  confirm?: boolean;
  /** The operator may skip it (an offer, e.g. picking idle machines before a scale-in). */
  optional?: boolean;
  preview(ctx: RunContext<P>): Promise<StepPlan>;
  /** Local actions after the plan's requests (never kube writes: those are requests, audited by the engine). */
  apply?(ctx: RunContext<P>, plan: StepPlan): Promise<void>;
  verify?: VerifySpec<P>;
  /** Undoes the step; previewed and confirmed like any step. */
  rollback?: Omit<Step<P>, 'rollback' | 'optional'>;
}

/** A parameter of a runbook, declared as data (params.ts validates raw strings against it). */
export interface ParamSpec {
  name: string;
  /** The CLI flag without dashes. */
  flag: string;
  kind: 'name' | 'int' | 'ip' | 'image' | 'duration';
  description: string;
  required?: boolean;
  min?: number;
  /** Upper bound for integers, from the profile. */
  max?: (profile: RunProfile) => number;
  /** Default in the parameter's own syntax. */
  default?: string | ((profile: RunProfile) => string | undefined);
}

/** A runbook: identity, parameters and steps, nothing else. */
export interface Runbook<P = Record<string, unknown>> {
  id: RunbookId;
  title: string;
  /** One line for `deckhand runbook --list`. */
  summary: string;
  params: readonly ParamSpec[];
  /** Cross-parameter rules (e.g. --node or --machine); returns problems. */
  checkParams?(params: Record<string, unknown>): string[];
  steps: readonly Step<P>[];
  /** Always shown while the runbook runs (bastion-swap's last-resort recovery). */
  recovery?(ctx: Pick<RunContext<P>, 'memory' | 'params'>): string;
}

/** Where a step is. */
export type StepPhase =
  | 'pending' | 'previewing' | 'awaiting-confirmation' | 'applying' | 'verifying' | 'done' | 'skipped' | 'failed'
  | 'rolling-back' | 'rolled-back';

/** A timeline entry with its time (ms) and elapsed time since the run started. */
export interface TimelineEntry {
  at: number;
  step?: string;
  text: string;
}

/** One step as the screens show it. */
export interface StepState {
  id: string;
  title: string;
  phase: StepPhase;
  plan?: StepPlan;
  /** Why the step failed, or why the last apply was refused. */
  error?: string;
  /** Latest verify progress. */
  progress?: Check;
  /** Deadline of the running verify (ms). */
  deadline?: number;
  /** How often the plan went stale (the object changed between preview and apply). */
  stale: number;
  /** The step's rollback is what runs (or ran) now. */
  rollingBack?: boolean;
  startedAt?: number;
  endedAt?: number;
}

/** The whole run, as the store and the CLI render it. */
export interface RunState {
  runId: string;
  runbook: RunbookId;
  title: string;
  params: Record<string, JsonValue>;
  context: string;
  production: boolean;
  phase: 'running' | 'awaiting' | 'done' | 'failed' | 'aborted' | 'rolled-back';
  current: number;
  steps: StepState[];
  recovery?: string;
  memory: Record<string, JsonValue>;
  inputs: Record<string, string>;
  acknowledged: string[];
  startedAt: number;
  timeline: TimelineEntry[];
  /** Set when the run was resumed from its journal. */
  resumed?: boolean;
}

/** Receives every change of a run. */
export type RunListener = (state: RunState) => void;
