// After a bastion swap the profile's bastion address is updated in place: only `bastion.host` (and `bastion.port`
// when the new one differs) of that profile, through the YAML document so comments and layout survive, written to a
// temporary file and renamed over the original with the original's mode. A profile without `bastion.host` is left
// alone (deckhand remembers the address in its state directory instead). The kubeconfig is never touched.
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { isMap, parseDocument } from 'yaml';
import type { BastionAddress } from '../tunnel/types.js';

/** Points profile `name`'s bastion at `address`; returns what changed, or undefined when nothing was edited. */
export async function updateProfileBastion(file: string, name: string, address: BastionAddress): Promise<string | undefined> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const doc = parseDocument(source);
  const bastion = doc.getIn(['profiles', name, 'bastion']);
  if (!isMap(bastion) || bastion.get('host') === undefined) return undefined;
  const before = String(bastion.get('host'));
  if (before === address.host && (address.port === undefined || bastion.get('port') === address.port)) return undefined;
  doc.setIn(['profiles', name, 'bastion', 'host'], address.host);
  if (address.port !== undefined && address.port !== 22) doc.setIn(['profiles', name, 'bastion', 'port'], address.port);
  const mode = (await stat(file)).mode & 0o777;
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, doc.toString(), { mode });
  await rename(temporary, file);
  return `profile ${name} in ${file}: bastion.host ${before} → ${address.host}`;
}
