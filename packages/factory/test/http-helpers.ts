import { silentLogger, type CacheInterface } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { createCacheConfig } from '@cache/presets';
import { SecurityConfig } from '@cache/security';
import { startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, expect } from 'vitest';
import { CacheFactory, CacheServiceProvider } from '../src/index.js';
import { secureOptions, securityFor, startSecureRedis, testEnv, until } from './helpers.js';

/** For the whole test file: a TLS + ACL redis-server behind a TCP proxy (so tests can cut the link). */
export function secureRedisBehindProxy(): { readonly server: RedisTestServer; readonly proxy: TcpProxy } {
  const fixture = {} as { server: RedisTestServer; proxy: TcpProxy };
  beforeAll(async () => {
    fixture.server = await startSecureRedis();
    fixture.proxy = await startTcpProxy({ host: fixture.server.host, port: fixture.server.port });
  });
  afterAll(async () => {
    await fixture.proxy?.close();
    await fixture.server?.stop();
  });
  return fixture;
}

/** Test double: a factory whose every cache refuses writes (no @cache cache can be made to fail set() on demand). */
class WriteRefusingFactory extends CacheFactory {
  override async createCacheFromConfig(): Promise<CacheInterface> {
    return new (class extends InMemoryCache {
      override async set(): Promise<void> {
        throw new Error('write refused');
      }
    })({ logger: silentLogger });
  }
}

/** Providers whose health is an error: `invalid` (a production config over plain redis://) and `broken` (its cache refuses writes). */
export function failingHealthProviders(): { invalid: CacheServiceProvider; broken: CacheServiceProvider } {
  return {
    invalid: new CacheServiceProvider({ config: createCacheConfig({ environment: 'production', redisUrl: 'redis://cache:6379' }), logger: silentLogger }),
    broken: new CacheServiceProvider({ config: createCacheConfig({ redisUrl: 'rediss://cache:6380' }), factory: new WriteRefusingFactory({ logger: silentLogger }), logger: silentLogger }),
  };
}

/** A provider whose services reach `server` through `port` (a TCP proxy's, so tests can cut the link). */
export function providerThrough(server: RedisTestServer, port: number): CacheServiceProvider {
  const { redisUrl: _url, securityConfig: _security, ...rest } = secureOptions(server);
  void [_url, _security];
  return new CacheServiceProvider({
    config: createCacheConfig({ redisUrl: `rediss://localhost:${port}` }),
    env: testEnv,
    logger: silentLogger,
    cacheOptions: { ...rest, securityConfig: new SecurityConfig(securityFor(server), { env: testEnv, logger: silentLogger }) },
  });
}

interface Health {
  status: string;
  fallback: boolean;
  warnings: string[];
}

async function health(baseUrl: string, path: string): Promise<{ code: number; body: Health }> {
  const response = await fetch(`${baseUrl}${path}`);
  return { code: response.status, body: (await response.json()) as Health };
}

/**
 * Over real HTTP: health is `healthy`, `degraded` (still 200) while the proxy is cut, `healthy`
 * again once restored; `/metrics` scrapes the factory's series and the ready/fallback gauges.
 */
export async function healthCycleOverHttp(baseUrl: string, proxy: TcpProxy, healthPath = '/cache/health'): Promise<void> {
  expect(await health(baseUrl, healthPath)).toMatchObject({ code: 200, body: { status: 'healthy', fallback: false } });
  await proxy.cut();
  let cut: { code: number; body: Health } | undefined;
  await until(async () => (cut = await health(baseUrl, healthPath)).body.status === 'degraded', 10_000, 'degraded while cut');
  expect(cut!.code).toBe(200);
  expect(cut!.body.warnings).toContainEqual(expect.stringMatching(/^Redis connection state: /));
  const duringCut = await metrics(baseUrl);
  expect(duringCut).toMatch(/^cache_redis_ready\{service="main:[0-9a-f]{16}"\} 0$/m);
  await proxy.restore();
  await until(async () => (await health(baseUrl, healthPath)).body.status === 'healthy', 15_000, 'healthy after restore');
  const text = await metrics(baseUrl);
  expect(text).toMatch(/^cache_redis_ready\{service="main:[0-9a-f]{16}"\} 1$/m);
  expect(text).toMatch(/^cache_fallback_active\{service="main:[0-9a-f]{16}"\} 0$/m);
  expect(text).toMatch(/^cache_operations_total\{cache="web",operation="get"\} [1-9]\d*$/m);
  expect(text).toMatch(/^cache_hit_rate\{cache="web"\} /m);
}

/** GET /metrics: must be Prometheus text. */
export async function metrics(baseUrl: string, path = '/metrics'): Promise<string> {
  const response = await fetch(`${baseUrl}${path}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** Sockets this process holds (TCP and TLS wraps). */
export function socketCount(): number {
  return process.getActiveResourcesInfo().filter((r) => /TCP|TLS|Socket/i.test(r)).length;
}
