#!/usr/bin/env node
// Extracts the custom resource definitions the simulated cluster serves from the real upstream CRD YAML into compact
// JSON under src/sim/crds/ (committed, so tests never need Go). Per CRD it keeps the names, the scope and, for every
// served version, the flags, subresources, printer columns and the openAPIV3Schema without `description` keywords
// (everything else is kept: x-kubernetes-* extensions, CEL rule text, defaults, patterns, formats).
//
// Regenerate (needs Go, or an already filled module cache):
//   export GOMODCACHE=$HOME/.cache/deckhand-test/gomod        # or $(go env GOMODCACHE)
//   go mod download sigs.k8s.io/cluster-api@v1.10.10 sigs.k8s.io/cluster-api@v1.12.10 \
//     sigs.k8s.io/cluster-api-provider-openstack@v0.9.2 sigs.k8s.io/cluster-api-provider-openstack@v0.14.7 \
//     sigs.k8s.io/prow@v0.0.0-20240619181241-cfb8754e0459
//   node scripts/extract-crds.mjs [--modcache DIR] [--out DIR]
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const modcache = resolve(option('--modcache', process.env.GOMODCACHE ?? join(homedir(), '.cache/deckhand-test/gomod')));
const out = resolve(option('--out', new URL('../src/sim/crds', import.meta.url).pathname));

const CAPI = 'sigs.k8s.io/cluster-api';
const CAPO = 'sigs.k8s.io/cluster-api-provider-openstack';
const PROW = 'sigs.k8s.io/prow';

/** One output file: the module, the CRD file inside it, and the name we commit it under. */
const sources = [];
for (const [release, version] of [['1.10', 'v1.10.10'], ['1.12', 'v1.12.10']]) {
  for (const plural of ['clusters', 'machines', 'machinesets', 'machinedeployments']) {
    sources.push({ module: `${CAPI}@${version}`, file: `config/crd/bases/cluster.x-k8s.io_${plural}.yaml`, name: `capi-${release}-${plural}` });
  }
  sources.push({
    module: `${CAPI}@${version}`,
    file: 'controlplane/kubeadm/config/crd/bases/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml',
    name: `capi-${release}-kubeadmcontrolplanes`,
  });
}
for (const [release, version] of [['0.9', 'v0.9.2'], ['0.14', 'v0.14.7']]) {
  for (const plural of ['openstackclusters', 'openstackmachines', 'openstackmachinetemplates']) {
    sources.push({ module: `${CAPO}@${version}`, file: `config/crd/bases/infrastructure.cluster.x-k8s.io_${plural}.yaml`, name: `capo-${release}-${plural}` });
  }
}
sources.push({
  module: `${PROW}@v0.0.0-20240619181241-cfb8754e0459`,
  file: 'config/prow/cluster/prowjob-crd/prowjob_customresourcedefinition.yaml',
  name: 'prow-prowjobs',
});

// Keywords whose value is a map of name → schema, a single schema, or a list of schemas (JSON Schema / OpenAPI v3,
// as apiextensions.k8s.io/v1 JSONSchemaProps defines them). Everything else is a leaf and copied as is.
const schemaMaps = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
const schemaSingles = new Set(['items', 'additionalProperties', 'additionalItems', 'not']);
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf']);

/** Copies a schema without its `description` keywords (a property named "description" is kept: it is data). */
function stripSchema(schema) {
  if (Array.isArray(schema)) return schema.map(stripSchema); // `items` may be a list of schemas
  if (typeof schema !== 'object' || schema === null) return schema; // `additionalProperties: true`
  const result = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (schemaMaps.has(key) && value && typeof value === 'object') {
      result[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : stripSchema(v)]));
    } else if (schemaSingles.has(key)) {
      result[key] = stripSchema(value);
    } else if (schemaLists.has(key) && Array.isArray(value)) {
      result[key] = value.map(stripSchema);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/** The generated JSON for one CRD document. */
function extract(crd, origin) {
  if (crd?.kind !== 'CustomResourceDefinition') throw new Error(`${origin}: not a CustomResourceDefinition`);
  const { group, names, scope, versions } = crd.spec;
  return {
    source: origin,
    group,
    kind: names.kind,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    ...(names.shortNames ? { shortNames: names.shortNames } : {}),
    ...(names.categories ? { categories: names.categories } : {}),
    scope,
    versions: versions
      .filter((v) => v.served)
      .map((v) => ({
        name: v.name,
        storage: Boolean(v.storage),
        ...(v.deprecated ? { deprecated: true } : {}),
        ...(v.deprecationWarning ? { deprecationWarning: v.deprecationWarning } : {}),
        subresources: {
          status: Boolean(v.subresources?.status),
          ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
        },
        additionalPrinterColumns: v.additionalPrinterColumns ?? [],
        schema: stripSchema(v.schema?.openAPIV3Schema ?? {}),
      })),
  };
}

if (!existsSync(modcache)) {
  console.error(`module cache ${modcache} not found: set GOMODCACHE or pass --modcache (see the header of this script)`);
  process.exit(1);
}
mkdirSync(out, { recursive: true });
for (const name of readdirSync(out)) if (name.endsWith('.json')) rmSync(join(out, name));

let total = 0;
for (const source of sources) {
  const path = join(modcache, source.module, source.file);
  if (!existsSync(path)) {
    console.error(`${path} is missing: run the go mod download command in the header of this script`);
    process.exit(1);
  }
  const crd = parse(readFileSync(path, 'utf8'), { maxAliasCount: -1 });
  const json = JSON.stringify(extract(crd, `${source.module}/${source.file}`));
  const target = join(out, `${source.name}.json`);
  writeFileSync(target, json + '\n');
  const size = statSync(target).size;
  total += size;
  console.log(`${source.name}.json ${(size / 1024).toFixed(1)} KiB (from ${(statSync(path).size / 1024).toFixed(0)} KiB of YAML)`);
}
console.log(`total ${(total / 1024).toFixed(1)} KiB in ${out}`);
