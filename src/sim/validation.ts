// Field validation kube-apiserver applies to the built-in kinds the simulated controllers write, where a
// controller could get it wrong: an Event must be in its involved object's namespace, a Pod needs containers with
// names and images.
// @see k8s.io/kubernetes pkg/apis/core/validation/events.go (legacyValidateEvent), validation.go (ValidatePodSpec)
import type { StatusCause } from './errors.js';
import { getPath, isObject, type KubeObject } from './objects.js';

/** An Event of a namespaced object lives in that namespace (a cluster-scoped one in "default" or none). */
export function validateEvent(event: KubeObject): StatusCause[] {
  const involved = getPath(event, 'involvedObject.namespace');
  const ns = event.metadata.namespace ?? '';
  const wrong = typeof involved === 'string' && involved !== '' ? involved !== ns : ns !== '' && ns !== 'default';
  if (!wrong) return [];
  return [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(involved ?? '')}: does not match event.namespace`, field: 'involvedObject.namespace' }];
}

/** A Pod's spec has at least one container, and each container a name and an image. */
export function validatePod(pod: KubeObject): StatusCause[] {
  const containers = getPath(pod, 'spec.containers');
  if (!Array.isArray(containers) || containers.length === 0) return [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }];
  const causes: StatusCause[] = [];
  for (const [list, items] of [['containers', containers], ['initContainers', getPath(pod, 'spec.initContainers')]] as const) {
    if (!Array.isArray(items)) continue;
    items.forEach((c, i) => {
      for (const key of ['name', 'image']) {
        if (!isObject(c) || typeof c[key] !== 'string' || c[key] === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `spec.${list}[${i}].${key}` });
      }
    });
  }
  return causes;
}
