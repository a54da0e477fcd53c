// Reads the real CRDs from the Go module cache (filled by build.sh) and prepares them for a server that runs no
// webhooks: one served version per CRD, no conversion webhook, no cert-manager CA injection.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { moduleDir, type PinnedVersions } from './versions.js';

/** CAPI API version to serve: v1beta1 comes from CAPI v1.10.x, v1beta2 from v1.12.x. */
export type CapiApiVersion = 'v1beta1' | 'v1beta2';
/** CAPO API version to serve: v1alpha7 comes from CAPO v0.9.x, v1beta1 from v0.14.x. */
export type CapoApiVersion = 'v1alpha7' | 'v1beta1';

/** A CustomResourceDefinition as plain JSON (only the fields the harness touches are typed). */
export interface CrdObject {
  apiVersion: string;
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: {
    group: string;
    names: { plural: string; kind: string };
    conversion?: unknown;
    versions: Array<{ name: string; served: boolean; storage: boolean }>;
  };
}

/** The CRD set for one combination, with where it came from. */
export interface CrdSet {
  crds: CrdObject[];
  /** Module versions the YAML was read from. */
  sources: { capi: string; capo: string; prow?: string };
}

const CAPI = 'sigs.k8s.io/cluster-api';
const CAPO = 'sigs.k8s.io/cluster-api-provider-openstack';
const PROW = 'sigs.k8s.io/prow';

function readYamlDir(dir: string): CrdObject[] {
  if (!existsSync(dir)) {
    throw new Error(`${dir} is missing: run test/k8s/build.sh first (it downloads the CRD modules)`);
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => readYamlFile(join(dir, f)));
}

function readYamlFile(file: string): CrdObject[] {
  if (!existsSync(file)) throw new Error(`${file} is missing: run test/k8s/build.sh first`);
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJSON() as CrdObject | null)
    .filter((d): d is CrdObject => d !== null && d.kind === 'CustomResourceDefinition');
}

/**
 * Makes a CRD installable without webhooks and pins it to one served version.
 * - spec.conversion is dropped: upstream bases have none, but the kustomize overlays add a Webhook strategy
 *   pointing at a service that does not exist here (envtest's modifyConversionWebhooks does the same).
 * - cert-manager's inject-ca-from annotation is dropped for the same reason.
 * - Only `preferred` stays served. With conversion strategy None the server would hand out stored objects of one
 *   version under the other version's name unchanged, so a second served version would only mislead tests.
 *   A CRD that has no `preferred` version at all (CAPO's v1alpha1 OpenStackServer next to v1beta1 types) keeps
 *   its storage version instead.
 */
export function prepareCrd(crd: CrdObject, preferred: string): CrdObject {
  const out = structuredClone(crd);
  delete out.spec.conversion;
  if (out.metadata.annotations) {
    delete out.metadata.annotations['cert-manager.io/inject-ca-from'];
  }
  const chosen =
    out.spec.versions.find((v) => v.name === preferred) ?? out.spec.versions.find((v) => v.storage);
  if (!chosen) throw new Error(`${crd.metadata.name} has no storage version`);
  // Serving a non-storage version without conversion would return mis-shaped objects; refuse loudly.
  if (!chosen.storage) throw new Error(`${crd.metadata.name}: ${chosen.name} is not the storage version`);
  for (const v of out.spec.versions) v.served = v === chosen;
  return out;
}

/** Loads and prepares the CRDs for one combination of CAPI, CAPO and (optionally) Prow. */
export function loadCrdSet(
  pins: PinnedVersions,
  capi: CapiApiVersion,
  capo: CapoApiVersion,
  prow: boolean,
  kubeadmControlPlane = false,
): CrdSet {
  const capiVersion = capi === 'v1beta1' ? pins.capiV1beta1 : pins.capiV1beta2;
  const capoVersion = capo === 'v1alpha7' ? pins.capoV1alpha7 : pins.capoV1beta1;
  // Core CAPI (Cluster, Machine, MachineSet, MachineDeployment, MHC, MachinePool, ClusterClass, …); the
  // KubeadmControlPlane CRD (479 KB) only on request: deckhand watches it and the simulated controllers run a
  // control plane, but most tests need neither. The kubeadm bootstrap CRDs are never needed (nothing reads them).
  const kcp = join(moduleDir(CAPI, capiVersion), 'controlplane', 'kubeadm', 'config', 'crd', 'bases',
    'controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml');
  const crds = [
    ...readYamlDir(join(moduleDir(CAPI, capiVersion), 'config', 'crd', 'bases')).map((c) => prepareCrd(c, capi)),
    ...(kubeadmControlPlane ? readYamlFile(kcp).map((c) => prepareCrd(c, capi)) : []),
    ...readYamlDir(join(moduleDir(CAPO, capoVersion), 'config', 'crd', 'bases')).map((c) => prepareCrd(c, capo)),
  ];
  if (prow) {
    const file = join(moduleDir(PROW, pins.prow), 'config', 'prow', 'cluster', 'prowjob-crd',
      'prowjob_customresourcedefinition.yaml');
    crds.push(...readYamlFile(file).map((c) => prepareCrd(c, 'v1')));
  }
  return { crds, sources: { capi: capiVersion, capo: capoVersion, ...(prow ? { prow: pins.prow } : {}) } };
}
