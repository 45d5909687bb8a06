import { createEncryptionLayerFromEnv } from '@cache/encryption';
import { createIoredisConnector, type RedisClientConstructor, type SecurityValidationResult } from '@cache/security';
import { Redis } from 'ioredis';
import { parseCommandArgs } from './args.js';
import { closeQuietly, connectionFor, type CliConnection } from './connect.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { printJson, type CliIo } from './output.js';

/** `cache check --help`. */
export const CHECK_HELP = `Usage: cache check <url> [--ca FILE] [--json]

Connects to a live Redis the way @cache would and reports how secure it is: the @cache/security
score and level, every finding with a concrete fix, and probes of the server itself (does it
accept clients without a password? may this user run administrative commands? is memory bounded?).
Credentials: in the URL (rediss://user:password@host:port) or REDIS_ACL_USERNAME/REDIS_ACL_PASSWORD
(or REDIS_AUTH); CA: --ca or REDIS_TLS_CA_PATH. REDIS_ENCRYPTION_KEY, when set, counts as encrypted
values. Nothing secret is printed.

Exit: 0 secure (HIGH, no critical finding), 1 findings make it insecure, 3 cannot connect, 4 bad environment.`;

/** One problem found, how bad it is, and what to do. */
export interface CheckFinding {
  severity: 'critical' | 'warning';
  finding: string;
  fix: string;
}

const FIXES: ReadonlyArray<[RegExp, string]> = [
  [/^No authentication/, 'Create an ACL user for the application (ACL SETUSER app on >password ~* +@all -@dangerous) and connect with it.'],
  [/^Unencrypted connection/, 'Serve TLS (tls-port, tls-cert-file, tls-key-file; port 0 to close the plain port) and connect with rediss://.'],
  [/^Certificate verification disabled/, 'Set REDIS_VERIFY_CERTIFICATES=true and give the CA with --ca or REDIS_TLS_CA_PATH.'],
  [/^Weak password/, 'Use a long random password (cache keygen makes 44 random characters) or an ACL user.'],
  [/file not found/, 'Fix the path in REDIS_TLS_CERT_PATH / REDIS_TLS_KEY_PATH / REDIS_TLS_CA_PATH.'],
  [/^Invalid or expired certificates/, 'Renew the server certificate and make sure the CA you pass signed it.'],
];

function fixFor(finding: string): string {
  return FIXES.find(([pattern]) => pattern.test(finding))?.[1] ?? 'See the @cache/security README (Scores).';
}

/** Probes the server itself, beyond what the configuration says. */
async function probeServer(conn: CliConnection, client: Redis): Promise<CheckFinding[]> {
  const findings: CheckFinding[] = [];
  const params = conn.security.buildConnectionParams(conn.url);
  delete params.username;
  delete params.password;
  const connector = createIoredisConnector(Redis as unknown as RedisClientConstructor);
  try {
    const anonymous = (await connector(params)) as unknown as Redis;
    try {
      if ((await anonymous.ping()) === 'PONG') {
        findings.push({
          severity: 'critical',
          finding: 'The server answers clients that send no password (the default user is enabled without one)',
          fix: 'ACL SETUSER default off (or set requirepass), and give each application its own ACL user.',
        });
      }
    } catch {
      // NOAUTH: the server refuses anonymous clients, as it should
    } finally {
      await closeQuietly(anonymous);
    }
  } catch {
    // the connection itself was refused without credentials, as it should
  }
  let config: string[] | null = null;
  try {
    config = (await client.call('CONFIG', 'GET', 'maxmemory*')) as string[];
  } catch {
    // NOPERM: this user cannot run administrative commands, as it should
  }
  if (config !== null) {
    findings.push({
      severity: 'warning',
      finding: 'This user may run administrative commands (CONFIG GET succeeded)',
      fix: 'Remove them from the application user: ACL SETUSER <user> -@dangerous +info',
    });
    const settings = new Map<string, string>();
    for (let i = 0; i + 1 < config.length; i += 2) settings.set(config[i] ?? '', config[i + 1] ?? '');
    if (settings.get('maxmemory') === '0') {
      findings.push({
        severity: 'warning',
        finding: 'maxmemory is 0: the cache can grow until the host runs out of memory',
        fix: 'CONFIG SET maxmemory <bytes> (e.g. 1gb) and keep it in redis.conf.',
      });
    }
    if (settings.get('maxmemory-policy') === 'noeviction') {
      findings.push({
        severity: 'warning',
        finding: 'maxmemory-policy is noeviction: writes fail once memory is full',
        fix: 'CONFIG SET maxmemory-policy allkeys-lru (or volatile-lru) for a cache.',
      });
    }
  }
  return findings;
}

function summarise(result: SecurityValidationResult, probes: CheckFinding[]) {
  const findings: CheckFinding[] = [
    ...result.vulnerabilities.map((v) => ({
      severity: (/^(No authentication|Connection failure|Authentication validation failed|Unencrypted connection)/.test(v) ? 'critical' : 'warning') as CheckFinding['severity'],
      finding: v,
      fix: fixFor(v),
    })),
    ...probes,
  ];
  const secure = result.isSecure && !findings.some((f) => f.severity === 'critical');
  return { secure, findings };
}

/** Scores a live server's security and lists each finding with its fix. */
export async function runCheck(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('check', argv, { ca: { type: 'string' } }, { min: 1, max: 1 });
  if (values.help) {
    io.out(CHECK_HELP);
    return EXIT.ok;
  }
  const valuesEncrypted = (io.env['REDIS_ENCRYPTION_KEY'] ?? '').trim() !== '';
  if (valuesEncrypted) createEncryptionLayerFromEnv({ env: io.env });
  const conn = connectionFor(positionals[0] ?? '', io.env, { ca: values.ca, valuesEncrypted });
  const client = await conn.open();
  let result: SecurityValidationResult;
  let probes: CheckFinding[];
  try {
    result = await conn.security.validateConnectionSecurity(client);
    probes = await probeServer(conn, client);
  } finally {
    await closeQuietly(client);
  }
  const { secure, findings } = summarise(result, probes);
  const report = {
    url: conn.displayUrl,
    secure,
    score: result.securityScore,
    level: result.securityLevel,
    tls: result.tlsEnabled,
    verifyCertificates: result.verifyCertificates,
    authentication: result.authMethod,
    valuesEncrypted: result.valuesEncrypted,
    findings,
    recommendations: [...result.recommendations],
  };
  if (values.json) {
    printJson(io, report);
  } else {
    io.out(`${conn.displayUrl}: ${secure ? 'SECURE' : 'NOT SECURE'} — score ${report.score}/100 (${report.level})`);
    io.out(
      `  TLS ${report.tls ? (report.verifyCertificates ? 'on, certificate verified' : 'on, NOT verified') : 'off'}; ` +
        `authentication ${report.authentication ?? 'none'}; values encrypted: ${report.valuesEncrypted ? 'yes' : 'no (REDIS_ENCRYPTION_KEY unset)'}`,
    );
    if (findings.length === 0) io.out('  no findings');
    for (const f of findings) io.out(`  [${f.severity}] ${f.finding}\n      fix: ${f.fix}`);
    io.out('  score: 80+ needs TLS with verification and authentication; +5 ACL user, +10 encrypted values, +5 certificate valid > 30 days.');
  }
  return secure ? EXIT.ok : EXIT.findings;
}
