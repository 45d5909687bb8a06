import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CliError, EXIT } from './exit-codes.js';

const run = promisify(execFile);

/** Paths of the certificates made for a development server. */
export interface DevCertificates {
  /** The CA that signed the server certificate: what clients trust (`REDIS_TLS_CA_PATH`). */
  caPath: string;
  certPath: string;
  keyPath: string;
}

const CA_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = cache dev-redis CA
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

const SERVER_CONFIG = `[req]
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
const VALIDITY = ['-days', '7'];

/**
 * Makes, in `dir`, a fresh CA and a server certificate it signed for `localhost` and `127.0.0.1`
 * (EC P-256, 7 days), with `openssl`. Nothing is reused between calls.
 */
export async function makeDevCertificates(openssl: string, dir: string): Promise<DevCertificates> {
  const exec = async (args: string[]): Promise<void> => {
    try {
      await run(openssl, args, { cwd: dir });
    } catch (error) {
      const detail = error instanceof Error ? (error.message.split('\n')[1] ?? error.message) : String(error);
      throw new CliError(`openssl ${args[0] ?? ''} failed: ${detail.trim()}`, EXIT.missingProgram, 'Check that openssl works (openssl version).');
    }
  };
  await writeFile(join(dir, 'ca.cnf'), CA_CONFIG);
  await writeFile(join(dir, 'server.cnf'), SERVER_CONFIG);
  await exec(['req', '-x509', '-config', 'ca.cnf', '-extensions', 'ca_ext', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', ...VALIDITY]);
  await exec(['req', '-new', '-config', 'server.cnf', ...EC_KEY, '-keyout', 'server.key', '-out', 'server.csr']);
  await exec([
    'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(16).toString('hex')}`,
    ...VALIDITY, '-extfile', 'server.cnf', '-extensions', 'server_ext', '-out', 'server.crt',
  ]);
  return { caPath: join(dir, 'ca.crt'), certPath: join(dir, 'server.crt'), keyPath: join(dir, 'server.key') };
}
