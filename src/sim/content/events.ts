// core/v1 Events as client-go's event recorder writes them: named `<object>.<hex>`, in the object's namespace (or
// `default` for cluster-scoped objects), with source, reporting component, count and first/last timestamps.
// @see k8s.io/client-go/tools/record/event.go (makeEvent)
import { timestamp, type KubeObject } from '../objects.js';

/** What to record. */
export interface EventInput {
  involved: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
  host?: string;
  nowMs: number;
  /** Suffix of the event name (client-go: hex of the time in nanoseconds). */
  suffix: string;
}

/** A new Event. */
export function eventObject(input: EventInput): KubeObject {
  const o = input.involved;
  const t = timestamp(input.nowMs);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${o.metadata.name}.${input.suffix}`, namespace: o.metadata.namespace ?? 'default' },
    involvedObject: {
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
    },
    type: input.type,
    reason: input.reason,
    message: input.message,
    source: { component: input.component, ...(input.host ? { host: input.host } : {}) },
    reportingComponent: input.component,
    reportingInstance: input.host ?? '',
    firstTimestamp: t,
    lastTimestamp: t,
    count: 1,
    eventTime: null,
  };
}
