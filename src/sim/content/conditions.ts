// Conditions in the two shapes Cluster API writes: the old v1beta1 style (with `severity`, reason optional on True)
// and metav1.Condition (reason mandatory, observedGeneration). A transition time is kept while the status stays the
// same, as conditions.Set and meta.SetStatusCondition do.
// @see kubernetes-sigs/cluster-api util/conditions (v1beta1) and util/conditions/v1beta2 @v1.11.0
import { isObject } from '../objects.js';

/** A condition as the controllers compute it. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  /** Old style only: Error, Warning or Info for False conditions. */
  severity?: 'Error' | 'Warning' | 'Info' | '';
}

function previousOf(previous: unknown, type: string): Record<string, unknown> | undefined {
  if (!Array.isArray(previous)) return undefined;
  const found = previous.find((c) => isObject(c) && c.type === type);
  return isObject(found) ? found : undefined;
}

function transition(prev: Record<string, unknown> | undefined, status: string, now: string): string {
  return prev && prev.status === status && typeof prev.lastTransitionTime === 'string' ? prev.lastTransitionTime : now;
}

/**
 * Old-style (v1beta1) conditions: `Ready` first, then by type; a True condition carries no severity.
 * @see kubernetes-sigs/cluster-api util/conditions/setter.go (Set, lexicographicLess)
 */
export function oldConditions(list: Condition[], previous: unknown, now: string): Record<string, unknown>[] {
  const sorted = [...list].sort((a, b) => (a.type === 'Ready' ? -1 : b.type === 'Ready' ? 1 : a.type.localeCompare(b.type)));
  return sorted.map((c) => {
    const out: Record<string, unknown> = { type: c.type, status: c.status, lastTransitionTime: transition(previousOf(previous, c.type), c.status, now) };
    if (c.status !== 'True') {
      if (c.severity !== undefined) out.severity = c.severity;
      else if (c.status === 'False') out.severity = 'Info';
    }
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
}

/**
 * metav1.Condition list (v1beta2 style): reason is mandatory (defaults to the status), message may be empty, and
 * observedGeneration is the object's generation when it was computed.
 */
export function newConditions(list: Condition[], previous: unknown, now: string, generation: number | undefined): Record<string, unknown>[] {
  return list.map((c) => ({
    type: c.type,
    status: c.status,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    lastTransitionTime: transition(previousOf(previous, c.type), c.status, now),
    reason: c.reason || (c.status === 'True' ? c.type : `Not${c.type}`),
    message: c.message ?? '',
  }));
}

/** Reads a condition from a list in either style. */
export function conditionOf(list: unknown, type: string): { status?: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined {
  return previousOf(list, type) as { status?: string; reason?: string; message?: string } | undefined;
}
