import { readFile, readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when nothing accepts TCP connections on `port` at 127.0.0.1. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Temp dirs of the sentinels that listen (or listened) on `ports`: each holds its sentinel's config. */
export async function sentinelDirs(ports: readonly number[]): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(tmpdir())) {
    if (!entry.startsWith('cache-test-redis-sentinel-')) continue;
    const config = await readFile(join(tmpdir(), entry, 'sentinel.conf'), 'utf8').catch(() => '');
    if (ports.includes(Number(/^port (\d+)$/m.exec(config)?.[1]))) found.push(join(tmpdir(), entry));
  }
  return found;
}
