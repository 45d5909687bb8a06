import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedis, startRedisCluster } from '../src/index.js';

const saved = { binary: process.env['REDISMS_SYSTEM_BINARY'], path: process.env['PATH'] };
afterEach(() => {
  if (saved.binary === undefined) delete process.env['REDISMS_SYSTEM_BINARY'];
  else process.env['REDISMS_SYSTEM_BINARY'] = saved.binary;
  process.env['PATH'] = saved.path;
});

describe('finding redis-server', () => {
  it('sets REDISMS_SYSTEM_BINARY to the redis-server on PATH when it is unset', async () => {
    delete process.env['REDISMS_SYSTEM_BINARY'];
    await using server = await startRedis();
    expect(process.env['REDISMS_SYSTEM_BINARY']).toMatch(/\/redis-server$/);
    expect(server.isRunning()).toBe(true);
  });

  it('fails with a clear message, starting nothing, when no redis-server is installed', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'no-redis-'));
    try {
      delete process.env['REDISMS_SYSTEM_BINARY'];
      process.env['PATH'] = emptyDir;
      await expect(startRedis()).rejects.toThrow(/no redis-server binary found.*REDISMS_SYSTEM_BINARY/);
      await expect(startRedisCluster()).rejects.toThrow(/no redis-server binary found/);
      expect(process.env['REDISMS_SYSTEM_BINARY']).toBeUndefined();
    } finally {
      await rm(emptyDir, { recursive: true, force: true });
    }
  });
});
