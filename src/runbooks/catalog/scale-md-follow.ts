// scale-md's last two steps: follow the pool until it has the new count of Running machines with Ready nodes
// (or the removed ones are gone), showing what blocks; then summarise what changed.
// @see /work/shared/reference/cluster-apis.md §1.2, §1.3 (phases and conditions shown while waiting)
import { machineSummary } from '../../kube/summarize/machines.js';
import { stepPlan } from '../preview.js';
import type { Step } from '../types.js';
import { pendingTestPods } from './pool.js';
import { currentReplicas, liveMachines, readScalePool, targetReplicas, type ScaleParams } from './scale-md-common.js';

/** Step 5: wait for the pool to match the new count. */
export const follow: Step<ScaleParams> = {
  id: 'follow',
  title: 'Follow machines and nodes',
  confirm: false,
  async preview(ctx) {
    const next = targetReplicas(ctx);
    return stepPlan({
      summary: `wait until ${ctx.params.md} has ${next} Running machines with Ready nodes`,
      lines: ['new machines go Pending → Provisioning → Provisioned → Running and their nodes become Ready; removed machines drain and go away'],
    });
  },
  verify: {
    timeoutSeconds: () => 30 * 60,
    intervalMs: 500,
    async check(ctx) {
      const p = await readScalePool(ctx);
      const next = targetReplicas(ctx);
      const live = liveMachines(p);
      const ready = live.filter((m) => m.machine.phase === 'Running' && m.node?.ready === 'True');
      const deleting = p.machines.filter((m) => m.machine.deleting);
      const pending = await pendingTestPods(ctx);
      const waiting = p.machines.filter((m) => m.machine.deleting || !(m.machine.phase === 'Running' && m.node?.ready === 'True'));
      const details = waiting.map((m) => `${m.machine.name}: ${m.machine.deleting ? 'deleting' : m.machine.phase}${m.node ? `, node ${m.node.ready === 'True' ? 'Ready' : 'not Ready'}` : ', no node yet'} — ${machineSummary(m.machine)}`);
      const ok = live.length === next && ready.length === next && deleting.length === 0 && currentReplicas(p) === next;
      const text = `${ready.length}/${next} machines Running with Ready nodes${deleting.length ? `, ${deleting.length} deleting` : ''}; ${pending.length} test pods pending`;
      return { ok, text, details };
    },
  },
};

/** Step 6: what changed. */
export const summary: Step<ScaleParams> = {
  id: 'summary',
  title: 'Summary',
  confirm: false,
  async preview(ctx) {
    if (ctx.planning) return stepPlan({ summary: 'the machines added or removed, and the pending pods left (known after step 5)' });
    const p = await readScalePool(ctx);
    const before = new Set((ctx.memory.machinesBefore as string[] | undefined) ?? []);
    const now = p.machines.map((m) => m.machine.name);
    const added = now.filter((n) => !before.has(n));
    const removed = [...before].filter((n) => !now.includes(n));
    const pending = await pendingTestPods(ctx);
    return stepPlan({
      summary: `${p.md.name}: ${String(ctx.memory.from ?? '?')} → ${currentReplicas(p)} replicas`,
      lines: [
        `added: ${added.join(', ') || 'none'}`,
        `removed: ${removed.join(', ') || 'none'}`,
        `test pods still pending: ${pending.length}`,
        ...(currentReplicas(p) > Number(ctx.memory.from ?? 0) ? ['this is a temporary scale-out: scale back in when the burst is over (scale-md with the old count)'] : []),
      ],
    });
  },
};
