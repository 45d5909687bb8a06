import { ConfigurationError, redactUrl } from '@cache/core';

/** Where a URL points: a TCP host/port (`redis://`, `rediss://`) or a unix socket path. */
export type ParsedRedisUrl = { kind: 'tcp'; tls: boolean } | { kind: 'unix'; path: string };

function invalidUrl(rule: string, shown: string): ConfigurationError {
  return new ConfigurationError(`redisUrl ${rule} (got ${shown})`, {
    code: 'INVALID_CONFIGURATION',
    context: { option: 'redisUrl', value: shown },
  });
}

/**
 * Checks the URL rule: `redis://`/`rediss://` with a host (port 1..65535 if given) or `unix://`
 * with a path. Throws `ConfigurationError` `INVALID_CONFIGURATION` showing the URL with its password redacted.
 */
export function parseRedisUrl(url: unknown): ParsedRedisUrl {
  if (typeof url !== 'string' || url === '') throw invalidUrl('must be a non-empty string', typeof url === 'string' ? "''" : typeof url);
  const shown = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl('must be a redis://, rediss:// or unix:// URL', shown);
  }
  if (parsed.protocol === 'unix:') {
    const path = decodeURIComponent(parsed.pathname);
    if (path === '' || path === '/') throw invalidUrl('unix:// URLs need a socket path', shown);
    return { kind: 'unix', path };
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw invalidUrl('scheme must be redis://, rediss:// or unix://', shown);
  }
  if (parsed.hostname === '') throw invalidUrl('must name a host', shown);
  if (parsed.port !== '') {
    const port = Number(parsed.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidUrl('port must be between 1 and 65535', shown);
  }
  return { kind: 'tcp', tls: parsed.protocol === 'rediss:' };
}
