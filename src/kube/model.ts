// The live model and how watch events change it: pure, immutable (a kind's map is replaced only when one of its
// events is applied), so the store can apply a whole batch in one update and selectors compare by reference.
import { kindIds, viewKey } from './kinds.js';
import type { ClusterModel, KindId, ViewsByKind } from './types.js';
import type { WatchEvent } from './watch.js';

/** A watch event with the source it came from (kind, and namespace when the source covers only one). */
export type SourceEvent = { [K in KindId]: { kind: K; namespace?: string; event: WatchEvent<ViewsByKind[K]> } }[KindId];

/** A model with every kind empty. */
export function emptyModel(): ClusterModel {
  return Object.fromEntries(kindIds.map((id) => [id, new Map()])) as unknown as ClusterModel;
}

/** Applies one event to a (mutable, already copied) map. */
function applyOne<T extends { namespace?: string; name: string }>(map: Map<string, T>, namespace: string | undefined, event: WatchEvent<T>): void {
  switch (event.type) {
    case 'replace':
      // A relist is the truth for its source's scope: whatever is not in it is gone.
      for (const [key, item] of map) if (namespace === undefined || item.namespace === namespace) map.delete(key);
      for (const item of event.items) map.set(viewKey(item), item);
      return;
    case 'upsert':
      map.set(viewKey(event.item), event.item);
      return;
    case 'delete':
      map.delete(viewKey(event.item));
      return;
    case 'bookmark':
      return;
  }
}

/** Applies a batch of events in order; kinds without changes keep their map (same reference). */
export function applyEvents(model: ClusterModel, events: readonly SourceEvent[]): ClusterModel {
  const changed = new Map<KindId, Map<string, unknown>>();
  for (const e of events) {
    if (e.event.type === 'bookmark') continue;
    let map = changed.get(e.kind);
    if (!map) {
      map = new Map(model[e.kind] as ReadonlyMap<string, unknown>);
      changed.set(e.kind, map);
    }
    applyOne(map as Map<string, { namespace?: string; name: string }>, e.namespace, e.event as WatchEvent<{ namespace?: string; name: string }>);
  }
  return changed.size === 0 ? model : ({ ...model, ...Object.fromEntries(changed) } as ClusterModel);
}
