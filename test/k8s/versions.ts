// Pinned versions and cache locations of the real-apiserver test environment (issue 7).
// The pins live in build/versions.env so that build.sh (shell) and the harness (TypeScript) cannot disagree.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The pinned upstream versions, as written in test/k8s/build/versions.env. */
export interface PinnedVersions {
  etcd: string;
  kube: string;
  capiV1beta1: string;
  capiV1beta2: string;
  capoV1alpha7: string;
  capoV1beta1: string;
  prow: string;
}

/** Path of the file holding the pins (shell KEY=value syntax, comments with #). */
export const versionsFile = join(here, 'build', 'versions.env');

/** Reads the pins; throws naming the missing key, because a silent default would test the wrong release. */
export function readPinnedVersions(file: string = versionsFile): PinnedVersions {
  const values = new Map<string, string>();
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).replace(/^["']|["']$/g, ''));
  }
  const get = (key: string): string => {
    const v = values.get(key);
    if (!v) throw new Error(`${file}: ${key} is not set`);
    return v;
  };
  return {
    etcd: get('ETCD_VERSION'),
    kube: get('KUBE_VERSION'),
    capiV1beta1: get('CAPI_V1BETA1_VERSION'),
    capiV1beta2: get('CAPI_V1BETA2_VERSION'),
    capoV1alpha7: get('CAPO_V1ALPHA7_VERSION'),
    capoV1beta1: get('CAPO_V1BETA1_VERSION'),
    prow: get('PROW_VERSION'),
  };
}

/**
 * Root of the per-machine cache (binaries, Go module and build caches). Outside the work tree so CI's fresh
 * clones stay warm; DECKHAND_TEST_CACHE overrides it (build.sh honours the same variable).
 */
export function cacheRoot(): string {
  return process.env.DECKHAND_TEST_CACHE ?? join(homedir(), '.cache', 'deckhand-test');
}

/** Go module cache used by build.sh; the CRD YAML is read straight from the extracted modules in it. */
export function goModCache(): string {
  return join(cacheRoot(), 'gomod');
}

/** Where build.sh puts the etcd binary of a version. */
export function etcdBinary(version: string): string {
  return join(cacheRoot(), 'bin', version, 'etcd');
}

/** Where build.sh puts the kube-apiserver binary of a version. */
export function kubeApiserverBinary(version: string): string {
  return join(cacheRoot(), 'bin', version, 'kube-apiserver');
}

/**
 * Directory of an extracted module in the module cache. Go escapes upper-case letters as '!' + lower case
 * (golang.org/x/mod/module.EscapePath); none of our modules has any, but the rule is cheap to honour.
 */
export function moduleDir(modulePath: string, version: string): string {
  const esc = (s: string): string => s.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
  return join(goModCache(), `${esc(modulePath)}@${esc(version)}`);
}
