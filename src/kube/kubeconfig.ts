// Which kubeconfig files to read, in kubectl's order: --kubeconfig (must exist), else every file of $KUBECONFIG
// (missing ones skipped, first value wins on merge), else ~/.kube/config. Files are only ever read.
// @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/#merging-kubeconfig-files
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeError } from './errors.js';

/** Where the kubeconfig comes from; `env` and `home` default to the process's (tests pass their own). */
export interface KubeconfigSource {
  kubeconfig?: string;
  env?: Record<string, string | undefined>;
  home?: string;
}

/** A kubeconfig file's text. */
export interface KubeconfigText {
  file: string;
  text: string;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new KubeError('kubeconfig', `kubeconfig ${file}: cannot read it (${code ?? (err as Error).message})`);
  }
}

/** Reads the kubeconfig files in merge order; throws a KubeError naming the file when none can be used. */
export function readKubeconfigTexts(source: KubeconfigSource = {}): KubeconfigText[] {
  if (source.kubeconfig) {
    const text = read(source.kubeconfig);
    if (text === undefined) throw new KubeError('kubeconfig', `kubeconfig ${source.kubeconfig}: file not found (from --kubeconfig)`);
    return [{ file: source.kubeconfig, text }];
  }
  const env = source.env ?? process.env;
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (list.length > 0) {
    const found = list.flatMap((file) => {
      const text = read(file);
      return text === undefined ? [] : [{ file, text }];
    });
    if (found.length === 0) throw new KubeError('kubeconfig', `kubeconfig: none of the files in KUBECONFIG exist (${list.join(delimiter)})`);
    return found;
  }
  const file = join(source.home ?? homedir(), '.kube', 'config');
  const text = read(file);
  if (text === undefined) throw new KubeError('kubeconfig', `kubeconfig ${file}: file not found (pass --kubeconfig or set KUBECONFIG)`);
  return [{ file, text }];
}
