// recover-node: replace a worker whose kubelet stopped reporting. Deleting its Machine alone never finishes (the
// drain cannot complete on a dead node), so the drain and volume-detach timeouts are set first, then the Machine is
// deleted and followed until the replacement's node is Ready, and the Prow jobs lost with the node are listed.
// @see /work/shared/reference/operations.md ("Recover a failed node"), cluster-apis.md §1.1 (timeout fields), §1.4
import { formatGoDuration } from '../../format/duration.js';
import { getView } from '../../kube/actions.js';
import { planDeleteMachine } from '../../kube/operations.js';
import { planTimeouts, type TimeoutValues } from '../../kube/runbook-reads.js';
import { parseParam } from '../params.js';
import { previewRequests, stepPlan } from '../preview.js';
import type { ParamSpec, Runbook, Step } from '../types.js';
import { inspect } from './recover-node-inspect.js';
import { follow, summary } from './recover-node-follow.js';
import { rememberedMachineGone, resolveTarget, templateTarget, type RecoverCtx, type RecoverParams } from './recover-node-target.js';

const drainSpec: ParamSpec = { name: 'drainTimeout', flag: 'drain-timeout', kind: 'duration', description: 'nodeDrainTimeout to set', default: '10m' };
const volumeSpec: ParamSpec = { name: 'volumeTimeout', flag: 'volume-timeout', kind: 'duration', description: 'nodeVolumeDetachTimeout to set', default: '15m' };

/** The timeouts to set: the operator's edits, else the parameters (seconds). */
export function wantedTimeouts(ctx: RecoverCtx): { drain: number; volume: number } {
  const read = (spec: ParamSpec, id: string, fallback: number) => {
    const edited = ctx.inputs[id];
    if (edited === undefined) return fallback;
    return parseParam(spec, edited, ctx.profile) as number;
  };
  return { drain: read(drainSpec, 'drain', ctx.params.drainTimeout), volume: read(volumeSpec, 'volume', ctx.params.volumeTimeout) };
}

const timeouts: Step<RecoverParams> = {
  id: 'timeouts',
  title: 'Set the drain and volume-detach timeouts',
  async preview(ctx) {
    // Previewing again after a partial apply (the Machine patched, then a 409 on its MachineDeployment) may find the
    // Machine gone: its blocked deletion finished as soon as its own timeouts landed, which is what this step is for.
    const gone = await rememberedMachineGone(ctx);
    if (gone) return stepPlan({ summary: 'the Machine is gone', skip: `Machine ${gone} is already gone: nothing left to set timeouts on` });
    const { machine, owner } = await resolveTarget(ctx);
    let wanted: { drain: number; volume: number };
    try {
      wanted = wantedTimeouts(ctx);
    } catch (err) {
      return stepPlan({ summary: 'invalid timeout', blockers: [(err as Error).message], inputs: inputs(ctx) });
    }
    const values: TimeoutValues = { nodeDrainSeconds: wanted.drain, nodeVolumeDetachSeconds: wanted.volume };
    const inputList = inputs(ctx, wanted);
    const template = templateTarget(owner);
    const templateHas = template && owner.kind !== 'none' && owner.kind !== 'MachineSet'
      ? owner.view.templateDeletion.nodeDrainSeconds === wanted.drain && owner.view.templateDeletion.nodeVolumeDetachSeconds === wanted.volume : true;
    if (machine.nodeDrainSeconds === wanted.drain && machine.nodeVolumeDetachSeconds === wanted.volume && templateHas) {
      return stepPlan({ summary: 'already set', skip: `Machine ${machine.name} already has drain ${formatGoDuration(wanted.drain * 1000)} and volume-detach ${formatGoDuration(wanted.volume * 1000)}` });
    }
    if (!ctx.memory.timeoutsBefore) {
      const before = owner.kind === 'MachineDeployment' || owner.kind === 'KubeadmControlPlane' ? owner.view.templateDeletion : {};
      await ctx.remember('timeoutsBefore', { machineDrain: machine.nodeDrainSeconds ?? null, machineVolume: machine.nodeVolumeDetachSeconds ?? null, templateDrain: before.nodeDrainSeconds ?? null, templateVolume: before.nodeVolumeDetachSeconds ?? null });
    }
    const plans = [planTimeouts(ctx.discovery, { kind: 'Machine', namespace: machine.namespace, name: machine.name, resourceVersion: machine.resourceVersion }, values)];
    const warnings: string[] = [];
    if (template) {
      plans.push(planTimeouts(ctx.discovery, template, values));
      warnings.push(`${template.kind} ${template.name}'s machine template gets the same timeouts: CAPI propagates template timeouts in place to its Machines and (since CAPI 1.8) resets a deleting Machine's own values to the template's, so they would not stick otherwise; its other machines get them too (no rollout). Rolling back this step restores the old values.`);
    } else if (owner.kind === 'MachineSet') warnings.push(`MachineSet ${owner.name} may reset these from its template while the Machine is deleted`);
    const { requests, blockers } = await previewRequests(ctx.client, plans);
    return stepPlan({
      summary: `drain timeout ${formatGoDuration(wanted.drain * 1000)}, volume-detach timeout ${formatGoDuration(wanted.volume * 1000)} on Machine ${machine.name}`,
      lines: [`now: drain ${fmt(machine.nodeDrainSeconds)}, volume-detach ${fmt(machine.nodeVolumeDetachSeconds)} (unset = wait forever)`],
      requests, blockers, warnings, inputs: inputList,
      data: { drain: wanted.drain, volume: wanted.volume },
    });
  },
  verify: {
    timeoutSeconds: () => 120,
    async check(ctx, plan) {
      const m = ctx.memory.machine as { namespace: string; name: string };
      const machine = await getView(ctx.client, ctx.discovery, 'machines', m.namespace, m.name);
      // A deletion already blocked in drain may finish the moment the timeouts land (they have long expired).
      if (!machine) return { ok: true, text: 'the Machine is gone: its deletion finished with the new timeouts' };
      const ok = machine.nodeDrainSeconds === plan.data?.drain && machine.nodeVolumeDetachSeconds === plan.data?.volume;
      return { ok, text: `Machine reads back drain ${fmt(machine.nodeDrainSeconds)}, volume-detach ${fmt(machine.nodeVolumeDetachSeconds)}` };
    },
  },
  rollback: {
    id: 'timeouts',
    title: 'Restore the previous timeouts',
    async preview(ctx) {
      const before = ctx.memory.timeoutsBefore as { machineDrain: number | null; machineVolume: number | null; templateDrain: number | null; templateVolume: number | null } | undefined;
      if (!before) return stepPlan({ summary: 'nothing recorded', skip: 'no previous values were recorded' });
      const { machine, owner } = await resolveTarget(ctx).catch(() => ({ machine: undefined, owner: { kind: 'none' as const } }));
      const plans = [];
      if (machine && !machine.deleting) plans.push(planTimeouts(ctx.discovery, { kind: 'Machine', namespace: machine.namespace, name: machine.name, resourceVersion: machine.resourceVersion }, { nodeDrainSeconds: before.machineDrain, nodeVolumeDetachSeconds: before.machineVolume }));
      const template = templateTarget(owner);
      if (template) plans.push(planTimeouts(ctx.discovery, template, { nodeDrainSeconds: before.templateDrain, nodeVolumeDetachSeconds: before.templateVolume }));
      if (!plans.length) return stepPlan({ summary: 'nothing to restore', skip: 'the Machine is gone or deleting and has no template owner' });
      const { requests, blockers } = await previewRequests(ctx.client, plans);
      return stepPlan({ summary: 'restore the timeouts as they were before this run', requests, blockers });
    },
  },
};

const fmt = (s: number | undefined) => (s === undefined ? 'unset' : formatGoDuration(s * 1000));

function inputs(ctx: RecoverCtx, wanted?: { drain: number; volume: number }) {
  return [
    { id: 'drain', label: 'drain timeout', value: ctx.inputs.drain ?? fmt(wanted?.drain ?? ctx.params.drainTimeout), hint: 'e.g. 10m' },
    { id: 'volume', label: 'volume-detach timeout', value: ctx.inputs.volume ?? fmt(wanted?.volume ?? ctx.params.volumeTimeout), hint: 'e.g. 15m' },
  ];
}

const deleteMachine: Step<RecoverParams> = {
  id: 'delete',
  title: 'Delete the Machine',
  async preview(ctx) {
    const gone = await rememberedMachineGone(ctx);
    if (gone) return stepPlan({ summary: 'already deleted', skip: `Machine ${gone} is already gone` });
    const { machine, owner } = await resolveTarget(ctx);
    if (machine.deleting) return stepPlan({ summary: 'deletion already started', skip: `Machine ${machine.name} is already being deleted (since ${machine.deleting})` });
    const { requests, blockers } = await previewRequests(ctx.client, [planDeleteMachine(ctx.discovery, machine)]);
    const wanted = wantedTimeouts(ctx);
    const warnings = machine.nodeDrainSeconds === undefined || machine.nodeDrainSeconds === 0 ? [`Machine ${machine.name} has no drain timeout: on an unreachable node the deletion stays blocked in drain`] : [];
    if (machine.nodeDrainSeconds !== undefined && machine.nodeDrainSeconds !== wanted.drain) warnings.push(`the Machine's drain timeout is ${fmt(machine.nodeDrainSeconds)}, not the ${fmt(wanted.drain)} set in step 2`);
    return stepPlan({
      summary: `delete Machine ${machine.namespace}/${machine.name}${owner.kind === 'none' ? ' (it will not be replaced)' : ''}`,
      requests, blockers, warnings,
      danger: { target: machine.name, what: 'delete this Machine' },
    });
  },
  verify: {
    timeoutSeconds: () => 60,
    async check(ctx) {
      const m = ctx.memory.machine as { namespace: string; name: string };
      const machine = await getView(ctx.client, ctx.discovery, 'machines', m.namespace, m.name);
      return { ok: !machine || machine.deleting !== undefined, text: machine ? (machine.deleting ? `deletion started at ${machine.deleting}, phase ${machine.phase}` : 'no deletionTimestamp yet') : 'the Machine is already gone' };
    },
  },
};

/** The recover-node runbook. */
export const recoverNode: Runbook<RecoverParams> = {
  id: 'recover-node',
  title: 'Recover a failed node',
  summary: 'replace a node whose kubelet stopped reporting: timeouts on its Machine, delete it, follow the replacement',
  params: [
    { name: 'node', flag: 'node', kind: 'name', description: 'the node (or --machine)' },
    { name: 'machine', flag: 'machine', kind: 'name', description: 'the Machine (or --node)' },
    { name: 'namespace', flag: 'namespace', kind: 'name', description: "the Machine's namespace (with --machine)" },
    drainSpec,
    volumeSpec,
  ],
  checkParams: (p) => (p.node === undefined && p.machine === undefined ? ['pass --node NAME or --machine NAME'] : []),
  steps: [inspect, timeouts, deleteMachine, follow, summary],
};
