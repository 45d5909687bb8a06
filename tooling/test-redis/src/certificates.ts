import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from './cleanup.js';

const run = promisify(execFile);

/** Certificates made at test time by {@link generateTestCertificates}; paths and PEM contents. */
export interface TlsMaterial {
  /** Private temp dir holding every file below (removed on process exit). */
  dir: string;
  /** Path of the CA certificate that signed the server certificate. */
  caPath: string;
  /** Path of the server certificate (SAN DNS:localhost, IP:127.0.0.1). */
  certPath: string;
  /** Path of the server private key. */
  keyPath: string;
  /** PEM of the CA certificate (give it to clients as `tls.ca`). */
  ca: string;
  /** PEM of the server certificate. */
  cert: string;
  /** PEM of the server private key. */
  key: string;
  /** Path of an unrelated CA certificate that did not sign the server certificate. */
  otherCaPath: string;
  /** PEM of that unrelated CA (a client trusting only it must reject the server). */
  otherCa: string;
}

const caConfig = (commonName: string): string => `[req]
distinguished_name = dn
prompt = no
[dn]
CN = ${commonName}
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

const serverConfig = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = localhost
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const VALIDITY = ['-days', '2'];

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`@cache-tooling/test-redis: openssl ${args[0] ?? ''} failed (is openssl installed?): ${detail}`);
  }
}

async function makeCa(dir: string, name: string, commonName: string): Promise<void> {
  await writeFile(join(dir, `${name}.cnf`), caConfig(commonName));
  await openssl(dir, [
    'req', '-x509', '-config', `${name}.cnf`, '-extensions', 'ca_ext',
    ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`, ...VALIDITY,
  ]);
}

async function makeServerCertificate(dir: string): Promise<void> {
  await writeFile(join(dir, 'server.cnf'), serverConfig);
  await openssl(dir, ['req', '-new', '-config', 'server.cnf', ...EC_KEY, '-keyout', 'server.key', '-out', 'server.csr']);
  await openssl(dir, [
    'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key',
    '-set_serial', `0x${randomBytes(16).toString('hex')}`, ...VALIDITY,
    '-extfile', 'server.cnf', '-extensions', 'server_ext', '-out', 'server.crt',
  ]);
}

/**
 * Generates, in a fresh temp dir, a CA, a server certificate signed by it for
 * `localhost`/`127.0.0.1`, and a second unrelated CA. Nothing is reused between calls
 * and nothing is committed; the dir is removed when the process exits.
 */
export async function generateTestCertificates(): Promise<TlsMaterial> {
  const dir = await makeTempDir('tls');
  await Promise.all([
    makeCa(dir, 'ca', 'cache-test-redis CA').then(() => makeServerCertificate(dir)),
    makeCa(dir, 'other-ca', 'cache-test-redis unrelated CA'),
  ]);
  const caPath = join(dir, 'ca.crt');
  const certPath = join(dir, 'server.crt');
  const keyPath = join(dir, 'server.key');
  const otherCaPath = join(dir, 'other-ca.crt');
  const [ca, cert, key, otherCa] = await Promise.all([
    readFile(caPath, 'utf8'),
    readFile(certPath, 'utf8'),
    readFile(keyPath, 'utf8'),
    readFile(otherCaPath, 'utf8'),
  ]);
  return { dir, caPath, certPath, keyPath, ca, cert, key, otherCaPath, otherCa };
}
