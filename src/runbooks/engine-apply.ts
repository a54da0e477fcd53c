// The two halves of the engine that touch the world: applying a confirmed plan (its requests exactly as previewed,
// each journaled before and after and audited, then the step's local actions) and verifying (polling the step's
// check until it passes, fails for good, or the cluster-time deadline passes).
// @see /work/shared/reference/cluster-apis.md §5.6 (409 on a stale resourceVersion), test/k8s/OBSERVED.md (bare 422)
import { applyPlan, getObject } from '../kube/actions.js';
import { KubeError } from '../kube/errors.js';
import { text } from '../kube/read.js';
import { auditRequest, type BoundAudit } from './audit.js';
import type { Journal } from './journal.js';
import { preconditionOf } from './preview.js';
import type { Check, RunContext, Step, StepPlan } from './types.js';

/** How an apply ended: all requests answered, a stale plan (preview again), or an error. */
export type ApplyOutcome = { kind: 'applied' } | { kind: 'stale'; reason: string } | { kind: 'error'; reason: string };

/** Whether a refused request means "the object moved on since the preview" rather than "the request is wrong". */
async function isStale<P>(ctx: RunContext<P>, err: unknown, rv: string | undefined, target: Parameters<typeof getObject>[1]): Promise<boolean> {
  if (!(err instanceof KubeError)) return false;
  if (err.kind === 'conflict') return true;
  // A failed JSON patch `test` op is a bare 422 (OBSERVED.md); if the object's resourceVersion moved, it was stale.
  if (err.kind === 'invalid' && rv !== undefined) {
    const now = await getObject(ctx.client, target).catch(() => undefined);
    return text(now, 'metadata.resourceVersion') !== rv;
  }
  return false;
}

/** Sends the plan's requests in order, then runs the step's local actions. */
export async function applyStep<P>(ctx: RunContext<P>, step: Pick<Step<P>, 'id' | 'apply'>, index: number, plan: StepPlan, journal: Journal, audit: BoundAudit): Promise<ApplyOutcome> {
  await journal.write({ type: 'apply-begin', index, id: step.id, plan });
  for (const [n, { plan: request }] of plan.requests.entries()) {
    await journal.write({ type: 'request', index, n, summary: request.summary });
    try {
      const result = await applyPlan(ctx.client, request);
      await journal.write({ type: 'response', index, n, code: 200, ...(result.resourceVersion ? { resourceVersion: result.resourceVersion } : {}) });
      await audit.append({ step: step.id, kind: 'kube', request: auditRequest(request.request), code: 200, outcome: 'ok' });
    } catch (err) {
      const code = err instanceof KubeError ? (err.status ?? 0) : 0;
      await journal.write({ type: 'response', index, n, code });
      await audit.append({ step: step.id, kind: 'kube', request: auditRequest(request.request), code, outcome: code ? 'refused' : 'error', error: (err as Error).message });
      if (await isStale(ctx, err, preconditionOf(request), request.target)) {
        return { kind: 'stale', reason: `${request.summary}: ${(err as Error).message}` };
      }
      return { kind: 'error', reason: (err as Error).message };
    }
  }
  if (step.apply) {
    try {
      await step.apply(ctx, plan);
      if (plan.actions.length) await audit.append({ step: step.id, kind: 'local', request: { actions: plan.actions }, code: 0, outcome: 'ok' });
    } catch (err) {
      await audit.append({ step: step.id, kind: 'local', request: { actions: plan.actions }, code: 0, outcome: 'error', error: (err as Error).message });
      return { kind: 'error', reason: (err as Error).message };
    }
  }
  await journal.write({ type: 'apply-end', index, id: step.id });
  return { kind: 'applied' };
}

/** Sleeps `ms`, waking early when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** Polls the step's check until ok (true), fatal or past the deadline (the last check's text as the reason). */
export async function verifyStep<P>(
  ctx: RunContext<P>,
  step: Pick<Step<P>, 'verify'>,
  plan: StepPlan,
  report: (check: Check, deadline: number) => void,
): Promise<{ ok: true } | { ok: false; reason: string; details?: string[] }> {
  const spec = step.verify;
  if (!spec) return { ok: true };
  const timeoutSeconds = spec.timeoutSeconds(ctx, plan);
  const deadline = ctx.now() + ctx.clusterMs(timeoutSeconds);
  const interval = Math.max(100, spec.intervalMs ?? 500);
  for (;;) {
    let check: Check;
    try {
      check = await spec.check(ctx, plan);
    } catch (err) {
      check = { ok: false, text: `check failed: ${(err as Error).message}` };
    }
    report(check, deadline);
    if (check.ok) return { ok: true };
    if (check.fatal) return { ok: false, reason: check.text, ...(check.details ? { details: check.details } : {}) };
    if (ctx.signal.aborted) return { ok: false, reason: 'aborted while waiting' };
    if (ctx.now() >= deadline) {
      return { ok: false, reason: `not done within ${timeoutSeconds}s of cluster time: ${check.text}`, ...(check.details ? { details: check.details } : {}) };
    }
    await sleep(interval, ctx.signal);
  }
}
