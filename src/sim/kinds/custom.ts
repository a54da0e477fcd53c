// The custom resources of the simulated cluster, built from the real upstream CRDs that scripts/extract-crds.mjs
// turned into src/sim/crds/*.json: names, scope, served versions, printer columns, subresources and schemas exactly as
// kube-apiserver would serve them with those CRDs installed, plus CAPI's conversion webhook when two versions are
// served and the CRDs' CEL rules and defaults (./crd-rules.ts).
//
// The JSON is imported as modules (import attributes, TypeScript ≥5.3 with resolveJsonModule; Node ≥20.10), so tsc
// copies the files next to the compiled code in dist/sim/crds and no path lookup at run time is needed.
import capi110Clusters from '../crds/capi-1.10-clusters.json' with { type: 'json' };
import capi110Machines from '../crds/capi-1.10-machines.json' with { type: 'json' };
import capi110MachineSets from '../crds/capi-1.10-machinesets.json' with { type: 'json' };
import capi110MachineDeployments from '../crds/capi-1.10-machinedeployments.json' with { type: 'json' };
import capi110ControlPlanes from '../crds/capi-1.10-kubeadmcontrolplanes.json' with { type: 'json' };
import capi112Clusters from '../crds/capi-1.12-clusters.json' with { type: 'json' };
import capi112Machines from '../crds/capi-1.12-machines.json' with { type: 'json' };
import capi112MachineSets from '../crds/capi-1.12-machinesets.json' with { type: 'json' };
import capi112MachineDeployments from '../crds/capi-1.12-machinedeployments.json' with { type: 'json' };
import capi112ControlPlanes from '../crds/capi-1.12-kubeadmcontrolplanes.json' with { type: 'json' };
import capo09Clusters from '../crds/capo-0.9-openstackclusters.json' with { type: 'json' };
import capo09Machines from '../crds/capo-0.9-openstackmachines.json' with { type: 'json' };
import capo09MachineTemplates from '../crds/capo-0.9-openstackmachinetemplates.json' with { type: 'json' };
import capo014Clusters from '../crds/capo-0.14-openstackclusters.json' with { type: 'json' };
import capo014Machines from '../crds/capo-0.14-openstackmachines.json' with { type: 'json' };
import capo014MachineTemplates from '../crds/capo-0.14-openstackmachinetemplates.json' with { type: 'json' };
import prowJobs from '../crds/prow-prowjobs.json' with { type: 'json' };
import { humanAge } from '../../format/duration.js';
import { compileJsonPath, formatJsonPathValue } from '../jsonpath.js';
import { isObject, type KubeObject } from '../objects.js';
import type { Column, ResourceDef, ScaleDef, VersionDef } from '../resources.js';
import { validateObject, type Schema } from '../schema.js';
import { capiCoreConversions, type Conversion } from './capi-conversion.js';
import type { ApiVersionResolver } from './capi-fields.js';
import { kubeadmControlPlaneConversion } from './capi-kubeadm.js';
import { applySchemaDefaults, compileRules, type CrdSchema } from './crd-rules.js';

/** One additionalPrinterColumns entry. */
export interface CrdColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** One served version in a generated CRD file. */
export interface CrdVersion {
  name: string;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  subresources: { status: boolean; scale?: ScaleDef };
  additionalPrinterColumns: CrdColumn[];
  schema: CrdSchema;
}

/** A generated CRD file (src/sim/crds/*.json). */
export interface CrdFile {
  source: string;
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

/** Checks the shape of an imported CRD file, so a broken regeneration fails loudly at startup. */
function crd(json: unknown): CrdFile {
  const file = json as CrdFile;
  if (!isObject(json) || typeof file.group !== 'string' || typeof file.kind !== 'string' || !Array.isArray(file.versions) || file.versions.length === 0) {
    throw new Error('src/sim/crds: malformed generated CRD file; run scripts/extract-crds.mjs');
  }
  return file;
}

/** The generated CRD files, by release: CAPI 1.10 / 1.12, CAPO 0.9 / 0.14, and Prow. */
export const crdFiles = {
  capi110: [capi110Clusters, capi110Machines, capi110MachineSets, capi110MachineDeployments, capi110ControlPlanes].map(crd),
  capi112: [capi112Clusters, capi112Machines, capi112MachineSets, capi112MachineDeployments, capi112ControlPlanes].map(crd),
  capo09: [capo09Clusters, capo09Machines, capo09MachineTemplates].map(crd),
  capo014: [capo014Clusters, capo014Machines, capo014MachineTemplates].map(crd),
  prow: [crd(prowJobs)],
};

// metav1.ObjectMeta's swagger doc for `name`, which the table convertor uses for its Name column.
const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const creationTimestampDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * One cell as the CRD table convertor computes it: the first result of the JSONPath; strings through client-go's
 * PrintResults; integer, number and boolean only when the JSON value has that type; dates as ages. No result, an
 * evaluation error or a mismatched type give a null cell.
 * @see k8s.io/apiextensions-apiserver@v0.34 pkg/registry/customresource/tableconvertor/tableconvertor.go
 */
export function printerCell(type: string, path: (data: unknown) => unknown[], obj: unknown, now: number): unknown {
  let results: unknown[];
  try {
    results = path(obj);
  } catch {
    return null;
  }
  if (results.length === 0) return null;
  const value = results[0];
  if (type === 'string') return formatJsonPathValue(value);
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      return rfc3339.test(value) ? humanAge(now - Date.parse(value)) : '<invalid>';
    default:
      return null;
  }
}

/** The Table columns of a CRD version: Name, then the printer columns (Age alone when it has none). */
export function printerColumns(columns: CrdColumn[]): Column[] {
  const defined = columns.length
    ? columns
    : [{ name: 'Age', type: 'date', description: creationTimestampDescription, jsonPath: '.metadata.creationTimestamp' }];
  return [
    { name: 'Name', type: 'string', format: 'name', description: nameDescription, value: 'metadata.name' },
    ...defined.map((c): Column => {
      const path = compileJsonPath(c.jsonPath);
      return {
        name: c.name,
        type: c.type as Column['type'],
        ...(c.priority ? { priority: c.priority } : {}),
        description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        ...(c.format ? { format: c.format } : {}),
        value: (obj, now) => printerCell(c.type, path, obj, now),
      };
    }),
  ];
}

const versionPattern = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** CompareKubeAwareVersionStrings: GA > beta > alpha, then major, then minor (k8s.io/apimachinery/pkg/version). */
export function compareKubeVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = versionPattern.exec(a);
  const pb = versionPattern.exec(b);
  if (!pa || !pb) return !pa && !pb ? (b < a ? -1 : 1) : pa ? 1 : -1;
  const rank = (m: RegExpExecArray): number => (m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2);
  if (rank(pa) !== rank(pb)) return rank(pa) - rank(pb);
  if (pa[1] !== pb[1]) return Number(pa[1]) - Number(pb[1]);
  return Number(pa[3] ?? 0) - Number(pb[3] ?? 0);
}

/** The Warning the API server sends for a deprecated version without its own text (defaultDeprecationWarning). */
function deprecationWarning(file: CrdFile, version: CrdVersion, served: CrdVersion[]): string {
  if (version.deprecationWarning) return version.deprecationWarning;
  const newer = served
    .filter((v) => !v.deprecated && compareKubeVersions(version.name, v.name) < 0)
    .map((v) => v.name)
    .sort((a, b) => compareKubeVersions(b, a));
  const message = `${file.group}/${version.name} ${file.kind} is deprecated`;
  return newer.length ? `${message}; use ${file.group}/${newer[0]} ${file.kind}` : message;
}

/** Drops fields the target version does not know, as kube-apiserver prunes what a conversion webhook returns. */
function pruned(obj: KubeObject, schema: CrdSchema): KubeObject {
  validateObject(obj, schema as Schema);
  return obj;
}

/** Builds the ResourceDef of one CRD, keeping the versions in `keep` (all served ones when omitted). */
function resourceDef(file: CrdFile, conversion: Conversion | undefined, keep?: string[]): ResourceDef {
  const served = file.versions.filter((v) => !keep || keep.includes(v.name));
  const storage = served.find((v) => v.storage);
  if (!storage) throw new Error(`${file.plural}.${file.group}: no storage version among ${served.map((v) => v.name).join(', ')}`);
  const storageSchema = storage.schema;
  const versions = served.map((v): VersionDef => {
    const rules = compileRules(v.schema);
    const def: VersionDef = {
      name: v.name,
      ...(v.storage ? { storage: true } : {}),
      ...(v.deprecated ? { deprecated: true, deprecationWarning: deprecationWarning(file, v, served) } : {}),
      schema: v.schema as Schema,
      columns: printerColumns(v.additionalPrinterColumns),
      validate: (obj, old) => rules.validate(obj, old),
      defaults: (obj) => applySchemaDefaults(obj, v.schema),
      hasCelRules: JSON.stringify(v.schema).includes('"x-kubernetes-validations"'),
    };
    if (!v.storage && conversion) {
      def.toStorage = (obj) => pruned(conversion.toHub(obj), storageSchema);
      def.fromStorage = (obj) => pruned(conversion.fromHub(obj), v.schema);
    }
    return def;
  });
  const scale = storage.subresources.scale;
  return {
    group: file.group,
    kind: file.kind,
    plural: file.plural,
    singular: file.singular,
    ...(file.shortNames ? { shortNames: file.shortNames } : {}),
    ...(file.categories ? { categories: file.categories } : {}),
    namespaced: file.scope === 'Namespaced',
    versions,
    builtin: false,
    status: storage.subresources.status,
    ...(scale ? { scale } : {}),
  };
}

// Kinds a Machine or Cluster may reference that the simulator does not serve, with the apiVersion CAPI 1.12's
// apiVersionGetter would find from their CRDs' contract labels (CAPI's own bootstrap and control-plane providers).
const unservedContractVersions: Record<string, string> = {
  'bootstrap.cluster.x-k8s.io/KubeadmConfig': 'bootstrap.cluster.x-k8s.io/v1beta2',
  'bootstrap.cluster.x-k8s.io/KubeadmConfigTemplate': 'bootstrap.cluster.x-k8s.io/v1beta2',
  'controlplane.cluster.x-k8s.io/KubeadmControlPlaneTemplate': 'controlplane.cluster.x-k8s.io/v1beta2',
  'cluster.x-k8s.io/ClusterClass': 'cluster.x-k8s.io/v1beta2',
};

/** Options for customResources: which releases' CRDs are installed. */
export interface CustomResourceOptions {
  /** 'v1beta1': CAPI 1.10 (v1beta1 only); 'v1beta2': CAPI 1.12 (v1beta1 deprecated + v1beta2 storage, converted). */
  capi: 'v1beta1' | 'v1beta2';
  /** 'v1alpha7': CAPO 0.9 (only its storage version v1alpha7 is served); 'v1beta1': CAPO 0.14. */
  capo: 'v1alpha7' | 'v1beta1';
  /** Whether the ProwJob CRD is installed. */
  prow: boolean;
}

/**
 * The custom resources of a scenario: CAPI core and KubeadmControlPlane, CAPO OpenStackCluster/Machine/MachineTemplate
 * and optionally ProwJob. CAPO 0.9 also serves v1alpha5 and v1alpha6 upstream; without their conversion webhook
 * they would serve wrong data, so only v1alpha7 is kept.
 */
export function customResources(options: CustomResourceOptions): ResourceDef[] {
  const capo = options.capo === 'v1beta1' ? crdFiles.capo014 : crdFiles.capo09;
  const capoDefs = capo.map((f) => resourceDef(f, undefined, [options.capo]));
  const prowDefs = options.prow ? crdFiles.prow.map((f) => resourceDef(f, undefined)) : [];
  if (options.capi === 'v1beta1') {
    return [...crdFiles.capi110.map((f) => resourceDef(f, undefined)), ...capoDefs, ...prowDefs];
  }
  // The apiVersion written into v1beta1 references: the storage version of a served kind, else CAPI's own providers.
  let served: ResourceDef[] = [];
  const resolve: ApiVersionResolver = (group, kind) => {
    const def = served.find((d) => d.group === group && d.kind === kind);
    const version = def?.versions.find((v) => v.storage)?.name;
    return version ? `${group}/${version}` : unservedContractVersions[`${group}/${kind}`];
  };
  const conversions: Record<string, Conversion> = {
    ...capiCoreConversions(resolve),
    KubeadmControlPlane: kubeadmControlPlaneConversion(resolve),
  };
  const capiDefs = crdFiles.capi112.map((f) => resourceDef(f, conversions[f.kind]));
  served = [...capiDefs, ...capoDefs, ...prowDefs];
  return served;
}
