import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { silentLogger } from '@cache/core';
import { GenericRedisCache } from '@cache/redis';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevRedisCommand, type DevRedisProcess } from './dev-redis-fixture.js';
import { json, runCli } from './run-cli.js';

let dev: DevRedisProcess;
let cache: GenericRedisCache;

beforeAll(async () => {
  dev = await startDevRedisCommand();
  // The printed environment is exactly what the strict readers behind createSecure need.
  cache = GenericRedisCache.createSecure({ env: dev.info.env, keyPrefix: 'app:', logger: silentLogger, enableL1Cache: false });
  expect(await cache.connect()).toBe(true);
  for (let i = 0; i < 5; i++) await cache.set(`user:${i}`, { id: i, name: `user ${i}` }, 600);
  for (let i = 0; i < 3; i++) await cache.set(`session:${i}`, { token: 'x'.repeat(9000 + i) }, 600);
});

afterAll(async () => {
  await cache?.disconnect();
  await dev?.stop();
});

function anonymousPing(port: number, ca: string): Promise<string> {
  const client = new Redis(`rediss://localhost:${port}`, { tls: { ca }, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableReadyCheck: false });
  const errors: string[] = [];
  client.on('error', (error: Error) => errors.push(error.message));
  return client
    .connect()
    .then(() => client.ping())
    .catch((error: Error) => [error.message, ...errors].join(' | '))
    .finally(() => client.disconnect());
}

describe('cache dev-redis', () => {
  it('prints the environment @cache reads, for a TLS-only server with an ACL user', () => {
    const env = dev.info.env;
    expect(Object.keys(env).sort()).toEqual(['REDIS_ACL_PASSWORD', 'REDIS_ACL_USERNAME', 'REDIS_ENCRYPTION_KEY', 'REDIS_TLS_CA_PATH', 'REDIS_URL']);
    expect(env['REDIS_URL']).toBe(`rediss://localhost:${dev.info.port}`);
    expect(env['REDIS_ACL_USERNAME']).toBe('cache-app');
    expect(existsSync(env['REDIS_TLS_CA_PATH'] ?? '')).toBe(true);
  });

  it('refuses clients without a password and clients without TLS', async () => {
    const ca = readFileSync(dev.info.env['REDIS_TLS_CA_PATH'] ?? '', 'utf8');
    expect(await anonymousPing(dev.info.port, ca)).toMatch(/NOAUTH/);
    const plain = new Redis(dev.info.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableReadyCheck: false, connectTimeout: 2000 });
    plain.on('error', () => undefined);
    const outcome = await plain.connect().then(() => plain.ping()).catch((error: Error) => error.message);
    plain.disconnect();
    expect(outcome).not.toBe('PONG');
  });

  it('cache check on it: SECURE, score 95 HIGH (TLS verified, ACL user, encrypted values), no findings', async () => {
    const run = await runCli(['check', dev.info.url, '--json'], dev.info.env);
    expect(run.code, run.stderr).toBe(0);
    const report = json<{ secure: boolean; score: number; level: string; findings: unknown[] }>(run);
    expect(report).toMatchObject({ secure: true, score: 95, level: 'HIGH', findings: [] });
    expect(run.stdout).not.toContain(dev.info.env['REDIS_ACL_PASSWORD']);
  });

  it('cache inspect counts keys and value bytes by prefix and reads the envelope headers', async () => {
    const run = await runCli(['inspect', dev.info.url, 'app:*', '--json'], dev.info.env);
    expect(run.code, run.stderr).toBe(0);
    const report = json<{ scanned: number; prefixes: Array<{ prefix: string; keys: number; bytes: number; noTtl: number }>; formats: Record<string, number> }>(run);
    expect(report.scanned).toBe(8);
    expect(report.prefixes.map((p) => [p.prefix, p.keys, p.noTtl])).toEqual([
      ['app:user:', 5, 0],
      ['app:session:', 3, 0],
    ]);
    expect(report.prefixes[1]?.bytes).toBeGreaterThan(0);
    expect(report.formats).toEqual({ '@cache v3 codec 1 encrypted': 5, '@cache v3 codec 1 encrypted+compressed': 3 });
    expect(run.stdout).not.toContain('user 1');
  });

  it('cache inspect --key decrypts one value with REDIS_ENCRYPTION_KEY; a wrong key is exit 1, no key exit 4', async () => {
    const ok = await runCli(['inspect', dev.info.url, '--key', 'app:user:3', '--json'], dev.info.env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(json(ok)).toMatchObject({ key: 'app:user:3', value: { id: 3, name: 'user 3' }, header: { kind: 'cache', version: 3, codec: 1, encrypted: true } });

    const otherKey = (await runCli(['keygen'])).stdout.trim();
    const wrong = await runCli(['inspect', dev.info.url, '--key', 'app:user:3', '--json'], { ...dev.info.env, REDIS_ENCRYPTION_KEY: otherKey });
    expect(wrong.code).toBe(1);
    expect(json(wrong)).toMatchObject({ error: 'decrypt_failed' });
    expect(wrong.stdout).not.toContain('user 3');

    const { REDIS_ENCRYPTION_KEY: _omitted, ...withoutKey } = dev.info.env;
    const none = await runCli(['inspect', dev.info.url, '--key', 'app:user:3'], withoutKey);
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('REDIS_ENCRYPTION_KEY is not set');
  });

  it('cache stats reports the server hit rate as a ratio from INFO, and the memory bound dev-redis sets', async () => {
    for (let i = 0; i < 3; i++) await cache.get('user:1');
    await cache.get('user:missing');
    const run = await runCli(['stats', dev.info.url, '--json'], dev.info.env);
    expect(run.code, run.stderr).toBe(0);
    const report = json<{ hitRate: number; keyspaceHits: number; keyspaceMisses: number; keys: number; memory: { maxBytes: number; policy: string } }>(run);
    expect(report.keys).toBe(8);
    expect(report.keyspaceHits).toBeGreaterThanOrEqual(3);
    expect(report.keyspaceMisses).toBeGreaterThanOrEqual(1);
    expect(report.hitRate).toBeCloseTo(report.keyspaceHits / (report.keyspaceHits + report.keyspaceMisses), 10);
    expect(report.memory).toEqual({ maxBytes: 256 * 1024 * 1024, policy: 'allkeys-lru', usedBytes: expect.any(Number) });
  });

  it('a wrong password is exit 3 with the real cause and a fix, never the password', async () => {
    const url = `rediss://cache-app:not-the-password-123@localhost:${dev.info.port}`;
    const { REDIS_ACL_PASSWORD: _p, REDIS_ACL_USERNAME: _u, ...env } = dev.info.env;
    const run = await runCli(['stats', url], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/WRONGPASS/);
    expect(run.stderr).toContain('fix: Check the user name and password');
    expect(run.stderr).not.toContain('not-the-password-123');
  });

  it('an untrusted certificate is exit 3 with the --ca fix', async () => {
    const { REDIS_TLS_CA_PATH: _ca, ...env } = dev.info.env;
    const run = await runCli(['stats', dev.info.url], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--ca');
  });
});

describe('cache dev-redis lifecycle', () => {
  it('on SIGINT stops redis-server, removes its temporary files and exits 0', async () => {
    const second = await startDevRedisCommand();
    expect(existsSync(second.info.dir)).toBe(true);
    const code = await second.stop('SIGINT');
    expect(code, second.stderr()).toBe(0);
    expect(existsSync(second.info.dir)).toBe(false);
    expect(second.stderr()).toContain('stopped redis-server and removed its temporary files');
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(second.info.port, '127.0.0.1');
      socket.once('error', () => resolve(true)).once('connect', () => (socket.destroy(), resolve(false)));
    });
    expect(refused).toBe(true);
  });

  it('without redis-server: exit 5 naming the program and how to install it', async () => {
    const run = await runCli(['dev-redis', '--redis-server', '/nonexistent/redis-server']);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('redis-server not found at /nonexistent/redis-server');
    expect(run.stderr).toContain('apt-get install redis-server');
  });

  it('a port in use is a usage error (exit 2) suggesting --port 0', async () => {
    const run = await runCli(['dev-redis', '--port', String(dev.info.port)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--port 0');
  });
});
