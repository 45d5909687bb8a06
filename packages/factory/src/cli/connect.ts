import { redactUrl, silentLogger } from '@cache/core';
import {
  RedisCacheSecurityManager,
  createIoredisConnector,
  createSecurityConfigFromEnv,
  type RedisClientConstructor,
  type SecurityConfig,
} from '@cache/security';
import { Redis } from 'ioredis';
import { CliError, EXIT } from './exit-codes.js';

/** How the command reaches one Redis server, and what it knows about that connection's security. */
export interface CliConnection {
  /** The URL without credentials, safe to print. */
  readonly displayUrl: string;
  /** The URL the client uses (credentials moved into the security configuration). */
  readonly url: string;
  readonly config: SecurityConfig;
  readonly security: RedisCacheSecurityManager;
  /** Opens a connected ioredis client; the caller quits it. */
  open(): Promise<Redis>;
}

/** Options common to the commands that talk to Redis. */
export interface ConnectOptions {
  /** CA certificate path (beats `REDIS_TLS_CA_PATH`). */
  ca?: string | undefined;
  /** Whether the cache in front of this server encrypts values (scored by the security check). */
  valuesEncrypted?: boolean;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`not a Redis URL: ${JSON.stringify(redactUrl(raw))}`, EXIT.usage, 'Use rediss://[user:password@]host:port (or redis:// for a server without TLS).');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new CliError(`unsupported scheme ${JSON.stringify(url.protocol)} in ${redactUrl(raw)}`, EXIT.usage, 'Use rediss://host:port (TLS) or redis://host:port.');
  }
  return url;
}

/**
 * The security configuration for `rawUrl`, read by `@cache/security`'s strict environment reader
 * (`REDIS_ACL_USERNAME`, `REDIS_ACL_PASSWORD`, `REDIS_AUTH`, `REDIS_TLS_CA_PATH`,
 * `REDIS_VERIFY_CERTIFICATES`, …) with three command-line facts on top: the URL's scheme decides
 * TLS, credentials in the URL beat the variables, and `--ca` beats `REDIS_TLS_CA_PATH`. One attempt
 * (`REDIS_MAX_RETRIES` defaults to 0 here) within `REDIS_CONNECTION_TIMEOUT` (default 5 s).
 */
export function connectionFor(rawUrl: string, env: Readonly<Record<string, string | undefined>>, options: ConnectOptions = {}): CliConnection {
  const url = parseUrl(rawUrl);
  const overlay: Record<string, string | undefined> = {
    REDIS_MAX_RETRIES: '0',
    REDIS_CONNECTION_TIMEOUT: '5',
    ...env,
    REDIS_USE_TLS: url.protocol === 'rediss:' ? 'true' : 'false',
    REDIS_TLS_ENABLED: undefined,
  };
  if (options.ca !== undefined) overlay['REDIS_TLS_CA_PATH'] = options.ca;
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (password !== '' && user !== '' && user !== 'default') {
    Object.assign(overlay, { REDIS_ACL_USERNAME: user, REDIS_ACL_PASSWORD: password, REDIS_AUTH: undefined });
  } else if (password !== '') {
    Object.assign(overlay, { REDIS_AUTH: password, REDIS_ACL_USERNAME: undefined, REDIS_ACL_PASSWORD: undefined });
  }
  url.username = '';
  url.password = '';
  const clean = url.toString().replace(/\/$/, '');
  const config = createSecurityConfigFromEnv(overlay, { logger: silentLogger });
  const security = new RedisCacheSecurityManager(config, {
    connector: createIoredisConnector(Redis as unknown as RedisClientConstructor),
    logger: silentLogger,
    valuesEncrypted: options.valuesEncrypted ?? false,
  });
  return {
    displayUrl: clean,
    url: clean,
    config,
    security,
    async open() {
      try {
        return (await security.createSecureConnection(clean)) as unknown as Redis;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new CliError(`cannot connect to ${clean}: ${message}`, EXIT.connection, connectionFix(message));
      }
    },
  };
}

/** The most likely fix for a connection failure, from the real cause in the message. */
export function connectionFix(message: string): string {
  if (/WRONGPASS|invalid username-password/i.test(message)) return 'Check the user name and password (URL, REDIS_ACL_USERNAME/REDIS_ACL_PASSWORD or REDIS_AUTH).';
  if (/NOAUTH/i.test(message)) return 'The server requires authentication: put the credentials in the URL or set REDIS_ACL_USERNAME/REDIS_ACL_PASSWORD (or REDIS_AUTH).';
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|unable to get local issuer/i.test(message)) return "The server's certificate is not trusted: pass --ca <file> (or REDIS_TLS_CA_PATH) with the CA that signed it.";
  if (/ALTNAME|Hostname\/IP does not match/i.test(message)) return "The host name does not match the server's certificate: connect with a name listed in its subjectAltName (e.g. localhost).";
  if (/ECONNRESET|EPROTO|wrong version number/i.test(message)) return 'TLS and plain text do not match: use rediss:// for a TLS port and redis:// for a plain one.';
  if (/ECONNREFUSED/i.test(message)) return 'Nothing listens there: check the host and port, and that redis-server runs.';
  return 'Check the URL, the credentials and the TLS settings (--ca).';
}

/** Quits a client, falling back to a hard disconnect; never throws. */
export async function closeQuietly(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
