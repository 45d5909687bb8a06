import { ConfigurationError, InfrastructureError, silentLogger } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import { CachePerformanceMonitor } from '@cache/monitoring';
import { GenericRedisCache } from '@cache/redis';
import { AIResponseCache } from '@cache/redis-ai';
import type { SecurityConfigOptions } from '@cache/security';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CacheFactory, describeCache, type BaseCacheOptions } from '../src/index.js';
import { USER, USER_PASSWORD, freePort, liveHandles, recordingLogger, secureOptions, startSecureRedis, testEnv, until } from './helpers.js';

let server: RedisTestServer;
let plain: RedisTestServer;
const opened: Array<{ disconnect?: () => Promise<void> }> = [];
const track = <T>(cache: T): T => {
  opened.push(cache as { disconnect?: () => Promise<void> });
  return cache;
};

beforeAll(async () => {
  [server, plain] = await Promise.all([startSecureRedis(), startRedis({ password: 'plain-test-password' })]);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.disconnect?.()));
});
afterAll(async () => {
  await Promise.all([server.stop(), plain.stop()]);
});

async function deadPortOptions(): Promise<BaseCacheOptions> {
  return { ...secureOptions(server), redisUrl: `rediss://${USER}:${USER_PASSWORD}@localhost:${await freePort()}`, connectTimeoutMs: '500ms' };
}

describe('against a real TLS-only redis-server with an ACL user', () => {
  it('forWebApp returns a connected GenericRedisCache with the web defaults that round-trips values', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const cache = track((await factory.forWebApp(secureOptions(server))) as GenericRedisCache);
    expect(cache).toBeInstanceOf(GenericRedisCache);
    expect(cache.connectionState).toBe('ready');
    expect([cache.name, cache.defaultTtl, cache.enableL1Cache, cache.l1CacheSize, cache.compressionThreshold, cache.compressionLevel]).toEqual(['web', 1800, true, 200, 8192, 1]);
    await cache.set('user:1', { name: 'Ada' });
    expect(await cache.get('user:1')).toEqual({ name: 'Ada' });
    expect(await cache.exists('user:1')).toBe(true);
    expect(await cache.getOrSet('user:2', () => ({ name: 'Grace' }))).toEqual({ name: 'Grace' });
    expect(await cache.delete('user:1')).toBe(true);
    expect(await cache.exists('user:1')).toBe(false);
    expect(factory.isFallback(cache)).toBe(false);
    expect(describeCache(cache)).toEqual({ cacheType: 'GenericRedisCache', securityEnabled: true, encryptionActive: true, connectionSecure: true, connectionScheme: 'rediss', fallback: false });
  });

  it('forAiApp returns an AIResponseCache with the AI defaults, memoryCacheSize as its L1 size and durations resolved', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const cache = track((await factory.forAiApp({ ...secureOptions(server), memoryCacheSize: 30, operationTtls: { summarize: '2h', qa: 600 } })) as AIResponseCache);
    expect(cache).toBeInstanceOf(AIResponseCache);
    expect([cache.defaultTtl, cache.l1CacheSize, cache.textHashThreshold, cache.compressionThreshold]).toEqual([3600, 30, 500, 8192]);
    expect(cache.operationTtls).toEqual({ summarize: 7200, qa: 600 });
    const key = cache.buildKey('some text', 'summarize', {});
    await cache.set(key, { summary: 'short' });
    expect(await cache.get(key)).toEqual({ summary: 'short' });
    expect(await cache.getTtl(key)).toBeGreaterThan(7000);
  });

  it('forTesting relaxes security explicitly on a plain redis:// URL (no TLS, no encryption) and warns once', async () => {
    const logger = recordingLogger();
    const factory = new CacheFactory({ logger });
    const cache = track((await factory.forTesting({ redisUrl: plain.url(), env: testEnv })) as GenericRedisCache);
    track(await factory.forTesting({ redisUrl: plain.url(), env: testEnv }));
    expect(cache).toBeInstanceOf(GenericRedisCache);
    expect([cache.defaultTtl, cache.enableL1Cache, cache.compressionLevel]).toEqual([60, false, 1]);
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
    expect(describeCache(cache)).toMatchObject({ encryptionActive: false, connectionSecure: false, connectionScheme: 'redis' });
    expect(logger.warnings.filter((l) => l.includes('forTesting relaxes security'))).toHaveLength(1);
    expect(logger.lines.join('\n')).not.toContain('plain-test-password');
  });

  it('forWebApp never relaxes: a missing encryption key is a ConfigurationError, not a fallback', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const { encryption: _dropped, ...noKey } = secureOptions(server);
    void _dropped;
    await expect(factory.forWebApp(noKey)).rejects.toMatchObject({ code: 'ENCRYPTION_KEY_REQUIRED' });
  });
});

describe('monitoring wiring', () => {
  it('each factory owns one monitor shared by its Redis caches; an explicit recorder passes through; null disables', async () => {
    const a = new CacheFactory({ logger: silentLogger });
    const b = new CacheFactory({ logger: silentLogger });
    expect(a.performanceMonitor).toBeInstanceOf(CachePerformanceMonitor);
    expect(a.performanceMonitor).not.toBe(b.performanceMonitor);
    const web = track(await a.forWebApp(secureOptions(server)));
    const ai = track(await a.forAiApp(secureOptions(server)));
    await web.get('missing-1');
    await ai.get('missing-2');
    expect(a.performanceMonitor!.cacheMisses).toBe(2);
    expect(b.performanceMonitor!.totalOperations).toBe(0);

    const own = new CachePerformanceMonitor();
    const explicit = track(await b.forWebApp({ ...secureOptions(server), performanceMonitor: own }));
    await explicit.get('missing-3');
    expect(own.cacheMisses).toBe(1);
    expect(b.performanceMonitor!.totalOperations).toBe(0);

    const silent = track(await b.forWebApp({ ...secureOptions(server), performanceMonitor: null }));
    await silent.get('missing-4');
    expect(own.totalOperations + b.performanceMonitor!.totalOperations).toBe(1);
    expect(new CacheFactory({ performanceMonitor: null }).performanceMonitor).toBeNull();
  });
});

describe('fallback only when Redis cannot be reached', () => {
  it('a dead port falls back to an InMemoryCache with the method TTL and size, reported by isFallback and a redacted warning', async () => {
    const logger = recordingLogger();
    const factory = new CacheFactory({ logger });
    const cache = (await factory.forWebApp(await deadPortOptions())) as InMemoryCache;
    expect(cache).toBeInstanceOf(InMemoryCache);
    expect([cache.defaultTtl, cache.maxSize]).toEqual([1800, 200]);
    expect(factory.isFallback(cache)).toBe(true);
    expect(new CacheFactory().isFallback(cache)).toBe(false);
    expect(logger.warnings.join('\n')).toMatch(/Redis connection failed for web application cache .*in-memory fallback/);
    expect(logger.lines.join('\n')).toContain(`${USER}:***@localhost`);
    expect(logger.lines.join('\n')).not.toContain(USER_PASSWORD);
    expect(describeCache(cache, { fallback: true })).toEqual({ cacheType: 'InMemoryCache', securityEnabled: false, encryptionActive: false, connectionSecure: false, fallback: true });
  });

  it('an unresolvable host falls back too', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const cache = await factory.forWebApp({ ...secureOptions(server), redisUrl: 'rediss://nonexistent-host.invalid:9999', connectTimeoutMs: 500 });
    expect(factory.isFallback(cache)).toBe(true);
  });

  it('the AI fallback uses memoryCacheSize and builds the same keys as the Redis AI cache', async () => {
    const factory = new CacheFactory({ logger: silentLogger });
    const fallback = (await factory.forAiApp({ ...(await deadPortOptions()), memoryCacheSize: 30, textHashThreshold: 20 })) as InMemoryCache;
    expect([fallback.defaultTtl, fallback.maxSize]).toEqual([3600, 30]);
    const real = track((await factory.forAiApp({ ...secureOptions(server), memoryCacheSize: 30, textHashThreshold: 20 })) as AIResponseCache);
    const text = 'a text longer than twenty code points, so it is hashed';
    expect(fallback.buildKey(text, 'summarize', { max: 3 })).toBe(real.buildKey(text, 'summarize', { max: 3 }));
  });

  it.each([
    ['forWebApp', 'web application cache', 'web_app'],
    ['forAiApp', 'AI application cache', 'ai_app'],
    ['forTesting', 'testing cache', 'testing'],
  ] as const)('%s with failOnConnectionError throws InfrastructureError "Redis connection failed for %s"', async (method, label, kind) => {
    const factory = new CacheFactory({ logger: silentLogger });
    const error = await factory[method]({ ...(await deadPortOptions()), failOnConnectionError: true }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error).toMatchObject({ message: `Redis connection failed for ${label}`, code: 'REDIS_CONNECTION_FAILED' });
    const e = error as InfrastructureError;
    expect(e.context).toMatchObject({ cache_type: kind, fail_on_connection_error: true, redis_url: expect.stringContaining(`${USER}:***@localhost`) });
    expect(e.cause).toBeInstanceOf(Error);
    expect(JSON.stringify(e.context) + String((e.cause as Error).message)).not.toContain(USER_PASSWORD);
  });

  it('a server stopped before creation gives a fallback, and no ioredis client is left behind', async () => {
    const doomed = await startRedis({ password: 'doomed-password' });
    const url = doomed.url();
    await doomed.stop();
    const before = liveHandles().length;
    const factory = new CacheFactory({ logger: silentLogger });
    const cache = await factory.forTesting({ redisUrl: url, env: testEnv, connectTimeoutMs: 500 });
    expect(cache).toBeInstanceOf(InMemoryCache);
    expect(factory.isFallback(cache)).toBe(true);
    await until(() => liveHandles().length <= before, 5000, 'the half-built client closed (no socket, no reconnect timer)');
    await doomed[Symbol.asyncDispose]();
  });
});

describe('security refusals always propagate (never a fallback)', () => {
  it.each([
    ['a wrong password (WRONGPASS)', { aclPassword: 'wrong-password-456' }, /WRONGPASS/],
    ['no credentials (NOAUTH)', { aclUsername: null, aclPassword: null }, /NOAUTH/],
    ['an untrusted certificate authority', { tlsCaPath: 'other' }, /SELF_SIGNED|certificate/i],
  ] as Array<[string, SecurityConfigOptions, RegExp]>)('%s is a ConfigurationError REDIS_CONNECTION_REFUSED, also without failOnConnectionError', async (_what, security, reason) => {
    const logger = recordingLogger();
    const factory = new CacheFactory({ logger });
    const tlsCaPath = security.tlsCaPath === 'other' ? server.tls!.otherCaPath : server.tls!.caPath;
    const error = await factory.forWebApp(secureOptions(server, { security: { ...security, tlsCaPath } })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    const e = error as ConfigurationError;
    expect(e.code).toBe('REDIS_CONNECTION_REFUSED');
    expect(e.message).toMatch(/^Redis refused the connection for web application cache/);
    expect(String(e.context['reason'])).toMatch(reason);
    expect(logger.warnings.some((l) => l.includes('in-memory fallback'))).toBe(false);
    expect(JSON.stringify(e.context) + e.message + logger.lines.join('\n')).not.toContain('wrong-password-456');
  });
});
