// What every simulated controller gets: the API client, the shared caches, the event recorder, the clock, the seeded
// random source, the simulated machines (which servers run, which kubelets are hung) and small write helpers.
import { isNotFound, isStatus, type ResourceType, type SimClient } from '../client.js';
import type { SimClock } from '../clock.js';
import type { Random } from '../content/names.js';
import { jsonEqual, type KubeObject } from '../objects.js';
import type { Scenario } from '../scenario.js';
import type { Cloud, SimContext } from './index.js';
import type { Kinds } from './kinds.js';
import type { Recorder } from './recorder.js';
import type { Informers } from './runtime.js';
import type { World } from './world.js';

/** Shared by all controllers of one simulated cluster. */
export interface ControllerEnv {
  ctx: SimContext;
  client: SimClient;
  clock: SimClock;
  scenario: Scenario;
  cloud: Cloud;
  kinds: Kinds;
  informers: Informers;
  recorder: Recorder;
  world: World;
  random: Random;
  log(line: string): void;
  /** Resolves once every informer has listed (controllers start working then). */
  cachesSynced?: Promise<void>;
}

/**
 * Writes `status` through the /status subresource with the cached resourceVersion as precondition (a stale cache
 * gives 409 and the reconcile is retried), skipping the write when nothing changed. Returns the stored object.
 */
export async function writeStatus(env: ControllerEnv, type: ResourceType, obj: KubeObject, status: Record<string, unknown>, ignore: string[] = []): Promise<KubeObject | undefined> {
  const strip = (s: unknown) => {
    if (!s || typeof s !== 'object') return s;
    const copy = { ...(s as Record<string, unknown>) };
    for (const k of ignore) delete copy[k];
    return copy;
  };
  if (jsonEqual(strip(obj.status), strip(status))) return obj;
  try {
    return await env.client.update(type, { ...obj, status }, { subresource: 'status' });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Deletes an object, treating "already gone" as success. */
export async function deleteIfExists(env: ControllerEnv, type: ResourceType, name: string, namespace?: string, opts: { gracePeriodSeconds?: number; uid?: string } = {}): Promise<void> {
  try {
    await env.client.delete(type, name, { namespace, gracePeriodSeconds: opts.gracePeriodSeconds, ...(opts.uid ? { preconditions: { uid: opts.uid } } : {}) });
  } catch (err) {
    // 404: already gone; 409 with a uid precondition: a newer object of the same name, not ours to delete.
    if (!isNotFound(err) && !(opts.uid && isStatus(err, 409))) throw err;
  }
}

/** Adds a finalizer (merge patch of the whole list, guarded by the resourceVersion: no lost update). */
export async function addFinalizer(env: ControllerEnv, type: ResourceType, obj: KubeObject, finalizer: string): Promise<void> {
  const current = obj.metadata.finalizers ?? [];
  if (current.includes(finalizer)) return;
  await env.client.patch(type, obj.metadata.name!, { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: [...current, finalizer] } }, { namespace: obj.metadata.namespace });
}

/** Removes a finalizer (merge patch of the remaining list, guarded by the resourceVersion). */
export async function removeFinalizer(env: ControllerEnv, type: ResourceType, obj: KubeObject, finalizer: string): Promise<void> {
  const current = obj.metadata.finalizers ?? [];
  if (!current.includes(finalizer)) return;
  try {
    await env.client.patch(type, obj.metadata.name!, { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: current.filter((f) => f !== finalizer) } }, { namespace: obj.metadata.namespace });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
