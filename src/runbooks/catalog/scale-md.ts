// scale-md: change a MachineDeployment's replica count the way `kubectl scale md` does (a merge patch on /scale),
// but conditional on the previewed resourceVersion, with the pending test pods and a suggested count in view, and
// for a scale-in the option to mark the idlest machines (no running Prow jobs) for deletion first.
// @see /work/shared/reference/cluster-apis.md §1.6 (delete-machine annotation), §1.9 (what kubectl scale sends)
import { planMarkMachineForDeletion, planScaleMachineDeployment } from '../../kube/operations.js';
import { planAnnotate, resourceRef } from '../../kube/actions.js';
import { capiLabels } from '../../kube/capi.js';
import { previewRequests, stepPlan } from '../preview.js';
import type { Runbook, Step } from '../types.js';
import { follow, summary } from './scale-md-follow.js';
import { pendingTestPods, poolLines, readMachineDeployment, resourcesText, suggestReplicas, type Pool } from './pool.js';
import { currentReplicas, liveMachines, readScalePool, targetReplicas, type ScaleParams } from './scale-md-common.js';

const pool = readScalePool;
const target = targetReplicas;
const current = currentReplicas;
const live = liveMachines;

/** The idlest machines first: fewest running Prow jobs, then fewest pods, then name. */
function idlest(p: Pool, count: number): string[] {
  return [...live(p)].sort((a, b) => a.jobs.length - b.jobs.length || a.pods - b.pods || a.machine.name.localeCompare(b.machine.name)).slice(0, count).map((m) => m.machine.name);
}

const inspect: Step<ScaleParams> = {
  id: 'inspect',
  title: 'MachineDeployment, nodes and pending pods',
  async preview(ctx) {
    const p = await pool(ctx);
    const pending = await pendingTestPods(ctx);
    const suggestion = suggestReplicas(p, pending);
    const { md } = p;
    if (!ctx.memory.from) await ctx.remember('from', current(p));
    if (!ctx.memory.machinesBefore) await ctx.remember('machinesBefore', p.machines.map((m) => m.machine.name));
    const lines = [
      `MachineDeployment ${md.namespace}/${md.name}: desired ${md.desired ?? '?'}, ready ${md.ready ?? '?'}, available ${md.available ?? '?'}${md.paused ? ' (paused)' : ''}`,
      'Machines:', ...poolLines(p),
      `Pending pods in ${ctx.profile.testPodsNamespace}: ${pending.length}`,
      ...pending.slice(0, 10).map((pod) => `  ${pod.name}${pod.job ? ` (${pod.job.job})` : ''} requests ${resourcesText(pod.requests)}`),
      ...(pending.length > 10 ? [`  … ${pending.length - 10} more`] : []),
      `Suggested replicas: ${suggestion.replicas} (${suggestion.reason})`,
    ];
    const warnings = md.paused ? ['the MachineDeployment is paused: CAPI will not act on a new count until it is resumed'] : [];
    return stepPlan({ summary: `${md.name} has ${current(p)} replicas; ${pending.length} test pods pending`, lines, warnings });
  },
};

const count: Step<ScaleParams> = {
  id: 'count',
  title: 'New replica count',
  async preview(ctx) {
    const p = await pool(ctx);
    const now = current(p);
    const next = target(ctx);
    const blockers: string[] = [];
    const warnings: string[] = [];
    if (next > ctx.profile.scaleMax) blockers.push(`${next} is above the profile's maximum of ${ctx.profile.scaleMax}`);
    if (next === now) blockers.push(`nothing to do: ${p.md.name} already has ${now} replicas`);
    if (next === 0) warnings.push(`scaling ${p.md.name} to 0 removes every worker: no Prow job can run until it is scaled out again`);
    else if (next < now) warnings.push(`scale-in: ${now - next} machine${now - next > 1 ? 's' : ''} will be deleted, with any jobs running on them`);
    if (now > 0 && next > 2 * now) warnings.push(`more than doubling the pool (${now} → ${next}): check the OpenStack quota`);
    return stepPlan({
      summary: `${p.md.name}: ${now} → ${next}`,
      lines: [`current ${now}, new ${next} (allowed 0..${ctx.profile.scaleMax})`],
      inputs: [{ id: 'replicas', label: 'replicas', value: String(next), hint: `whole number 0..${ctx.profile.scaleMax}` }],
      warnings,
      blockers,
    });
  },
};

const pick: Step<ScaleParams> = {
  id: 'pick',
  title: 'Machines to remove (scale-in)',
  optional: true,
  async preview(ctx) {
    const p = await pool(ctx);
    const remove = current(p) - target(ctx);
    if (remove <= 0) return stepPlan({ summary: 'not a scale-in', skip: 'not a scale-in: no machine is removed' });
    const marked = live(p).filter((m) => m.machine.markedForDeletion).map((m) => m.machine.name);
    if (marked.length >= remove) return stepPlan({ summary: `already marked: ${marked.join(', ')}`, skip: `already marked for deletion: ${marked.join(', ')}` });
    const chosen = (ctx.inputs.machines?.split(',').map((s) => s.trim()).filter(Boolean)) ?? idlest(p, remove);
    const unknown = chosen.filter((name) => !live(p).some((m) => m.machine.name === name));
    const plans = live(p).filter((m) => chosen.includes(m.machine.name) && !m.machine.markedForDeletion).map((m) => planMarkMachineForDeletion(ctx.discovery, m.machine));
    const { requests, blockers } = await previewRequests(ctx.client, plans);
    if (unknown.length) blockers.push(`not machines of ${p.md.name}: ${unknown.join(', ')}`);
    if (chosen.length !== remove) blockers.push(`choose exactly ${remove} machine${remove > 1 ? 's' : ''}, got ${chosen.length}`);
    const busy = live(p).filter((m) => chosen.includes(m.machine.name) && m.jobs.length);
    return stepPlan({
      summary: `mark ${chosen.join(', ')} with ${capiLabels.deleteMachine} so the scale-in removes them`,
      lines: ['Without a mark CAPI picks by the MachineSet delete policy (Random by default).', ...poolLines(p)],
      inputs: [{ id: 'machines', label: 'machines', value: chosen.join(','), hint: `${remove} name(s), comma-separated; idlest first` }],
      requests,
      blockers,
      warnings: busy.map((m) => `${m.machine.name} runs ${m.jobs.length} Prow job(s): ${m.jobs.join(', ')}`),
      data: { chosen },
    });
  },
  verify: {
    timeoutSeconds: () => 60,
    async check(ctx, plan) {
      const p = await pool(ctx);
      const chosen = (plan.data?.chosen as string[] | undefined) ?? [];
      const missing = chosen.filter((n) => !p.machines.some((m) => m.machine.name === n && m.machine.markedForDeletion));
      return { ok: missing.length === 0, text: missing.length ? `not marked yet: ${missing.join(', ')}` : `marked: ${chosen.join(', ')}` };
    },
  },
  rollback: {
    id: 'pick',
    title: 'Remove the delete-machine marks',
    async preview(ctx) {
      const p = await pool(ctx);
      const marked = live(p).filter((m) => m.machine.markedForDeletion);
      if (!marked.length) return stepPlan({ summary: 'no marks', skip: 'no machine is marked' });
      const plans = marked.map((m) => planAnnotate(resourceRef('machines', ctx.discovery, m.machine.namespace, m.machine.name), { [capiLabels.deleteMachine]: null }, { resourceVersion: m.machine.resourceVersion }));
      const { requests, blockers } = await previewRequests(ctx.client, plans);
      return stepPlan({ summary: `unmark ${marked.map((m) => m.machine.name).join(', ')}`, requests, blockers });
    },
  },
};

const scale: Step<ScaleParams> = {
  id: 'scale',
  title: 'Patch /scale',
  async preview(ctx) {
    const p = await pool(ctx);
    const now = current(p);
    const next = target(ctx);
    if (now === next && ctx.memory.from !== undefined && ctx.memory.from !== next) return stepPlan({ summary: `already ${next}`, skip: `${p.md.name} already has ${next} replicas` });
    const { requests, blockers } = await previewRequests(ctx.client, [planScaleMachineDeployment(ctx.discovery, p.md, next)]);
    const dangerous = next < now;
    return stepPlan({
      summary: `scale ${p.md.name} from ${now} to ${next}`,
      requests,
      blockers,
      ...(dangerous ? { danger: { target: p.md.name, what: next === 0 ? 'scale it to zero' : 'scale it in' } } : {}),
    });
  },
  verify: {
    timeoutSeconds: () => 60,
    async check(ctx) {
      const md = await readMachineDeployment(ctx, ctx.params.namespace, ctx.params.md);
      return { ok: md?.desired === target(ctx), text: `spec.replicas is ${md?.desired ?? '?'}` };
    },
  },
  rollback: {
    id: 'scale',
    title: 'Scale back',
    async preview(ctx) {
      const p = await pool(ctx);
      const from = Number(ctx.memory.from);
      if (current(p) === from) return stepPlan({ summary: `already ${from}`, skip: `${p.md.name} already has ${from} replicas` });
      const { requests, blockers } = await previewRequests(ctx.client, [planScaleMachineDeployment(ctx.discovery, p.md, from)]);
      return stepPlan({ summary: `scale ${p.md.name} back to ${from}`, requests, blockers });
    },
  },
};


/** The scale-md runbook. */
export const scaleMd: Runbook<ScaleParams> = {
  id: 'scale-md',
  title: 'Scale a MachineDeployment',
  summary: 'scale a worker pool (e.g. prow-md-0) through /scale with a precondition; scale-in can pick the idlest machines',
  params: [
    { name: 'md', flag: 'md', kind: 'name', description: 'the MachineDeployment', default: (p) => p.machineDeployment ?? 'prow-md-0' },
    { name: 'namespace', flag: 'namespace', kind: 'name', description: 'its namespace', default: (p) => p.openstackCluster?.namespace ?? 'default' },
    { name: 'replicas', flag: 'replicas', kind: 'int', description: 'the new replica count', required: true, min: 0, max: (p) => p.scaleMax },
  ],
  steps: [inspect, count, pick, scale, follow, summary],
};
