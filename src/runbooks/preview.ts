// Preview helpers shared by the catalog: a StepPlan with defaults, a planned request checked by the server's own
// dry run (dryRun=All: admission, schema and fieldValidation=Strict run, nothing is stored) and rendered as a
// path-by-path diff of what would change, and the exact request as text.
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run
import { diffJson, formatJsonDiff } from '../format/json-diff.js';
import { applyPlan, getObject, type ActionPlan } from '../kube/actions.js';
import type { KubeClient } from '../kube/client.js';
import { asDryRun } from '../kube/runbook-reads.js';
import { at, isJson } from '../kube/read.js';
import type { PlannedRequest, StepPlan } from './types.js';

/** A StepPlan with every list empty unless given. */
export function stepPlan(plan: Partial<StepPlan> & { summary: string }): StepPlan {
  return { lines: [], requests: [], actions: [], warnings: [], blockers: [], acknowledgements: [], inputs: [], ...plan };
}

/** The parts of an object a runbook changes: labels, annotations, deletion, spec (not status or bookkeeping). */
function relevant(object: unknown): unknown {
  if (!isJson(object)) return object;
  const meta = isJson(object.metadata) ? object.metadata : {};
  return {
    metadata: { labels: meta.labels, annotations: meta.annotations, deletionTimestamp: meta.deletionTimestamp },
    spec: object.spec,
  };
}

/** The path to GET for the object a request changes (the /scale subresource reads as a Scale). */
function readPath(plan: ActionPlan): string {
  return plan.request.path;
}

/**
 * Previews one request: reads the object, asks the server for a dry run of exactly this request and diffs the two.
 * A refused dry run (invalid patch, failed test op, stale precondition) comes back as `error`, for a blocker.
 */
export async function previewRequest(client: KubeClient, plan: ActionPlan): Promise<{ planned: PlannedRequest; error?: string }> {
  let before: unknown;
  try {
    before = (await client.request({ method: 'GET', path: readPath(plan) })).body;
  } catch {
    before = await getObject(client, plan.target);
  }
  try {
    const result = await applyPlan(client, asDryRun(plan));
    const diff = formatJsonDiff(diffJson(relevant(before), relevant(result.object)), 70);
    const warnings = result.warnings.map((w) => `server warning: ${w}`);
    return { planned: { plan, diff: [...diff, ...warnings] } };
  } catch (err) {
    return { planned: { plan, diff: [] }, error: `the server refused the dry run of "${plan.summary}": ${(err as Error).message}` };
  }
}

/** Previews several requests; their dry-run refusals become blockers of the returned plan parts. */
export async function previewRequests(client: KubeClient, plans: readonly ActionPlan[]): Promise<{ requests: PlannedRequest[]; blockers: string[] }> {
  const requests: PlannedRequest[] = [];
  const blockers: string[] = [];
  for (const plan of plans) {
    const { planned, error } = await previewRequest(client, plan);
    requests.push(planned);
    if (error) blockers.push(error);
  }
  return { requests, blockers };
}

/** The request as an operator reads it: method, path with query, content type and the JSON body. */
export function requestText(plan: ActionPlan): string[] {
  const query = Object.entries(plan.request.query ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  const lines = [`${plan.request.method} ${plan.request.path}${query ? `?${query}` : ''}`];
  if (plan.request.contentType) lines.push(`Content-Type: ${plan.request.contentType}`);
  if (plan.request.body !== undefined) lines.push(...JSON.stringify(plan.request.body, null, 2).split('\n'));
  return lines;
}

/** The resourceVersion a request is conditional on (merge patch, JSON patch or delete preconditions). */
export function preconditionOf(plan: ActionPlan): string | undefined {
  const body = plan.request.body;
  if (Array.isArray(body)) {
    const op = body.find((o) => isJson(o) && o.path === '/metadata/resourceVersion');
    return isJson(op) && typeof op.value === 'string' ? op.value : undefined;
  }
  const rv = at(body, 'metadata.resourceVersion') ?? at(body, 'preconditions.resourceVersion');
  return typeof rv === 'string' ? rv : undefined;
}
