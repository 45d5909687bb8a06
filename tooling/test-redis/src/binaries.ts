import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

const SYSTEM_BINARY_ENV = 'REDISMS_SYSTEM_BINARY';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns the first executable named `name` on PATH, or null. */
function findOnPath(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * Makes redis-memory-server use an installed `redis-server` (it would otherwise try to download
 * one, which has no TLS): when `REDISMS_SYSTEM_BINARY` is unset it is set to the first
 * `redis-server` on PATH. Returns the binary path.
 * @throws Error when the variable is unset and no redis-server is on PATH.
 */
export function ensureRedisServerBinary(): string {
  const configured = process.env[SYSTEM_BINARY_ENV];
  if (configured !== undefined && configured !== '') return configured;
  const found = findOnPath('redis-server');
  if (found === null) {
    throw new Error(
      `@cache-tooling/test-redis: no redis-server binary found. Install Redis (Debian: apt-get install -y redis-server) ` +
        `so that redis-server is on PATH, or set ${SYSTEM_BINARY_ENV} to its absolute path.`,
    );
  }
  process.env[SYSTEM_BINARY_ENV] = found;
  return found;
}

/**
 * Returns the `redis-cli` next to the redis-server in use, else the first on PATH.
 * @throws Error when none is found.
 */
export function findRedisCli(): string {
  const besideServer = join(dirname(ensureRedisServerBinary()), 'redis-cli');
  if (isExecutable(besideServer)) return besideServer;
  const found = findOnPath('redis-cli');
  if (found === null) {
    throw new Error(
      '@cache-tooling/test-redis: no redis-cli binary found (needed to create a cluster). Install Redis tools ' +
        '(Debian: apt-get install -y redis-tools) so that redis-cli is on PATH.',
    );
  }
  return found;
}

/**
 * Returns the `redis-sentinel` next to the redis-server in use, else the first on PATH.
 * @throws Error when none is found.
 */
export function findRedisSentinel(): string {
  const besideServer = join(dirname(ensureRedisServerBinary()), 'redis-sentinel');
  if (isExecutable(besideServer)) return besideServer;
  const found = findOnPath('redis-sentinel');
  if (found === null) {
    throw new Error(
      '@cache-tooling/test-redis: no redis-sentinel binary found (needed for a Sentinel set). Install it ' +
        '(Debian: apt-get install -y redis-sentinel) so that redis-sentinel is on PATH.',
    );
  }
  return found;
}
