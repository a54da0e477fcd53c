// Test PKI for the real apiserver: a CA, the serving certificate, an admin client certificate, the
// service-account key pair and the static token file. Certificates come from the openssl CLI (Node has no API to
// issue X.509 certificates and the harness may use built-ins only); keys for service accounts from node:crypto.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Identity names used by the harness; tests assert on them (e.g. in 403 messages). */
export const Identities = {
  admin: { user: 'deckhand-admin', group: 'system:masters' },
  viewer: { user: 'deckhand-viewer', group: 'deckhand:viewers' },
} as const;

/** Files and secrets of the test PKI, all inside one directory. */
export interface TestPki {
  dir: string;
  caCertPath: string;
  caPem: string;
  servingCertPath: string;
  servingKeyPath: string;
  adminCertPath: string;
  adminKeyPath: string;
  adminCertPem: string;
  adminKeyPem: string;
  saPublicKeyPath: string;
  saPrivateKeyPath: string;
  tokenFilePath: string;
  adminToken: string;
  viewerToken: string;
}

// A private config so the result does not depend on the distribution's openssl.cnf (its default v3_ca section,
// prompts, or extensions that could clash with ours).
const opensslConfig = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
authorityKeyIdentifier = keyid
[v3_client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

/** The openssl binary; /usr/bin/openssl on the test machines, overridable for odd setups. */
const openssl = process.env.DECKHAND_OPENSSL ?? 'openssl';

async function issue(dir: string, name: string, subject: string, ext: string): Promise<void> {
  const cnf = join(dir, 'openssl.cnf');
  // P-256 keys: generated in milliseconds, unlike RSA, and accepted by both the apiserver and Node's TLS.
  await run(openssl, [
    'req', '-new', '-config', cnf, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', subject,
  ]);
  await run(openssl, [
    'x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'),
    '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '7', '-extfile', cnf, '-extensions', ext,
    '-out', join(dir, `${name}.crt`),
  ]);
}

/** Creates the whole PKI in `dir` (which must exist and be private to this cluster). */
export async function createTestPki(dir: string): Promise<TestPki> {
  await writeFile(join(dir, 'openssl.cnf'), opensslConfig);
  await run(openssl, [
    'req', '-x509', '-config', join(dir, 'openssl.cnf'), '-extensions', 'v3_ca', '-newkey', 'ec',
    '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'),
    '-days', '7', '-subj', '/CN=deckhand-test-ca',
  ]);
  await issue(dir, 'apiserver', '/CN=kube-apiserver', 'v3_server');
  // Client certificate auth stays available next to the tokens, so a test can exercise either path.
  await issue(dir, 'admin', `/O=${Identities.admin.group}/CN=${Identities.admin.user}`, 'v3_client');

  // The service-account signer must be RSA or ECDSA; RSA 2048 is what kubeadm uses.
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(join(dir, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  await writeFile(join(dir, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }) as string);

  // Static token file: token,user,uid,"group1,group2". Simplest admin identity, still supported in 1.34.
  const adminToken = randomBytes(24).toString('hex');
  const viewerToken = randomBytes(24).toString('hex');
  await writeFile(
    join(dir, 'tokens.csv'),
    `${adminToken},${Identities.admin.user},uid-admin,"${Identities.admin.group}"\n` +
      `${viewerToken},${Identities.viewer.user},uid-viewer,"${Identities.viewer.group}"\n`,
    { mode: 0o600 },
  );

  return {
    dir,
    caCertPath: join(dir, 'ca.crt'),
    caPem: await readFile(join(dir, 'ca.crt'), 'utf8'),
    servingCertPath: join(dir, 'apiserver.crt'),
    servingKeyPath: join(dir, 'apiserver.key'),
    adminCertPath: join(dir, 'admin.crt'),
    adminKeyPath: join(dir, 'admin.key'),
    adminCertPem: await readFile(join(dir, 'admin.crt'), 'utf8'),
    adminKeyPem: await readFile(join(dir, 'admin.key'), 'utf8'),
    saPublicKeyPath: join(dir, 'sa.pub'),
    saPrivateKeyPath: join(dir, 'sa.key'),
    tokenFilePath: join(dir, 'tokens.csv'),
    adminToken,
    viewerToken,
  };
}
