// meta.k8s.io/v1 Table responses, which kubectl asks for (`Accept: application/json;as=Table;…`) to print
// `get` output with the server's columns.
// @see https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
import type { Column, VersionDef } from './resources.js';
import { getPath, type KubeObject } from './objects.js';
import { humanAge } from '../format/duration.js';

const ageColumn: Column = {
  name: 'Age',
  type: 'date',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  value: (obj, now) => humanAge(now - Date.parse(obj.metadata.creationTimestamp ?? '')),
};
const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', value: 'metadata.name' };

/** The columns of a resource version: its own, or Name + Age like the default table convertor. */
export function columnsOf(version: VersionDef): Column[] {
  if (!version.columns) return [nameColumn, ageColumn];
  return version.columns.map((c) => (c.name === 'Age' && c.type === 'date' && typeof c.value === 'string' ? ageColumn : c));
}

function cell(column: Column, obj: KubeObject, now: number): unknown {
  const raw = typeof column.value === 'string' ? getPath(obj, column.value) : column.value(obj, now);
  if (raw === undefined || raw === null) return column.type === 'integer' || column.type === 'number' ? null : '';
  if (column.type === 'date' && typeof raw === 'string' && typeof column.value === 'string') return humanAge(now - Date.parse(raw));
  if (Array.isArray(raw)) return raw.join(',');
  return raw;
}

/** What a row carries besides its cells (the includeObject query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A Table for a list of objects (already converted to `version`). */
export function toTable(
  version: VersionDef,
  objects: KubeObject[],
  now: number,
  include: IncludeObject,
  listMeta: Record<string, unknown>,
  withColumns = true,
): Record<string, unknown> {
  const columns = columnsOf(version);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(withColumns
      ? {
          columnDefinitions: columns.map((c) => ({
            name: c.name,
            type: c.type === 'date' ? 'string' : c.type,
            format: c.format ?? '',
            description: c.description ?? '',
            priority: c.priority ?? 0,
          })),
        }
      : {}),
    rows: objects.map((obj) => ({
      cells: columns.map((c) => cell(c, obj, now)),
      object:
        include === 'None'
          ? null
          : include === 'Object'
            ? obj
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
    })),
  };
}
