import { inspect } from 'node:util';
import { CacheError, silentLogger, type Logger } from '@cache/core';
import { createIoredisConnector, type RedisClientConstructor } from '@cache/security';
import { startRedis, startTcpProxy, type RedisTestServer, type TcpProxy } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericRedisCache, type CacheEventMap, type GenericRedisCacheOptions, type RedisErrorEvent } from '../src/index.js';
import { Fixture, newEncryption, recordingLogger, securityFor, testEnv, uniquePrefix } from './helpers.js';

const PASSWORD = 'surfaces-pass-123';
const NO_SET = { name: 'no-set', password: 'no-set-pass-123', rules: ['~*', '&*', '+@all', '-set'] };
const NO_UNLINK = { name: 'no-unlink', password: 'no-unlink-pass-123', rules: ['~*', '&*', '+@all', '-unlink'] };
/** ioredis' own wording, which names its options: never shown to users. */
const CLIENT_INTERNALS = /maxRetriesPerRequest|enableOfflineQueue|Reached the max retries|Stream isn't writeable/;
let server: RedisTestServer;
const fx = new Fixture();
const rawFx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ password: PASSWORD, users: [NO_SET, NO_UNLINK], args: ['--enable-debug-command', 'yes'] });
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await rawFx.closeAll();
  await server.stop();
});

function userCache(user: { name: string; password: string }, options: Partial<GenericRedisCacheOptions> = {}): GenericRedisCache {
  return fx.track(
    new GenericRedisCache({
      redisUrl: server.url({ username: user.name, password: user.password }),
      securityConfig: securityFor({ aclUsername: user.name, aclPassword: user.password }),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      connectTimeoutMs: 1000,
      commandTimeoutMs: 1000,
      ...options,
    }),
  );
}

/** Everything a cache lets out: log lines with their fields, and every event's payload. */
function capture(cache: GenericRedisCache | null): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, meta?: Record<string, unknown>) => void lines.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  if (cache) {
    const events: Array<keyof CacheEventMap> = ['set_failed', 'connection_state', 'redis_error', 'invalidation', 'get_miss'];
    for (const event of events) cache.on(event, ((...args: unknown[]) => void lines.push(`event ${event} ${JSON.stringify(args)}`)) as CacheEventMap[typeof event]);
  }
  return { logger, lines, text: () => lines.join('\n') };
}

/** An error as anyone could look at it: util.inspect with its whole cause chain and hidden fields, JSON, String. */
const exposed = (error: unknown): string => `${inspect(error, { depth: Infinity, showHidden: true })}\n${JSON.stringify(error)}\n${String(error)}`;

const caught = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('permission and configuration problems are typed, actionable and rate-limited', () => {
  it('SET refused (NOPERM): every set degrades to l1_only with one redis_error event and one log line, not one per call', async () => {
    const logger = recordingLogger();
    const cache = userCache(NO_SET, { keyPrefix: uniquePrefix('noset'), logger });
    const problems: RedisErrorEvent[] = [];
    cache.on('redis_error', (e) => void problems.push(e));
    for (let i = 0; i < 20; i++) await expect(cache.set(`k${i}`, i)).resolves.toBe('l1_only');
    expect(cache.getStats()).toMatchObject({ setsL1Only: 20 });
    expect(cache.getStats().redisErrors).toBeGreaterThanOrEqual(20);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ operation: 'set', command: 'SET', kind: 'permission', permanent: true, suppressed: 0 });
    expect(problems[0]!.message).toMatch(/ACL user lacks permission/);
    expect(problems[0]!.hint).toMatch(/\+set/);
    expect(logger.warnings.filter((w) => w.includes('Redis refused SET'))).toHaveLength(1);
    expect(logger.errors).toEqual([]);
  });

  it('invalidatePattern and clear refused (NOPERM on UNLINK) reject with ConfigurationError REDIS_PERMISSION_DENIED after the L1 part, never report success', async () => {
    const prefix = uniquePrefix('nounlink');
    const cache = userCache(NO_UNLINK, { keyPrefix: prefix });
    const statuses: string[] = [];
    cache.on('invalidation', (e) => void statuses.push(e.status));
    await cache.set('user:1', 1);
    const error = await caught(() => cache.invalidatePattern('user:*'));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'REDIS_PERMISSION_DENIED', context: { command: 'UNLINK', kind: 'permission' } });
    expect((error as Error).message).toMatch(/^invalidatePattern\("user:\*"\): Redis refused UNLINK.*Fix: grant it/);
    await expect(cache.clear()).rejects.toMatchObject({ name: 'ConfigurationError', code: 'REDIS_PERMISSION_DENIED' });
    expect(statuses).toEqual(['partial', 'partial']);
    await expect(cache.get('user:1')).resolves.toBeNull();
  });

  it("a command lost with its connection is reported in the cache's words: ioredis' option names never reach events, logs or results", async () => {
    let proxy: TcpProxy | undefined;
    try {
      proxy = await startTcpProxy({ host: server.host, port: server.port });
      const seen = capture(null);
      const cache = fx.cache(
        { url: () => `redis://:${PASSWORD}@127.0.0.1:${proxy!.port}`, password: PASSWORD },
        { keyPrefix: uniquePrefix('lost'), enableL1Cache: false, commandTimeoutMs: 3000, logger: seen.logger },
      );
      const events = capture(cache);
      const failures: string[] = [];
      cache.on('set_failed', (_key, meta) => void failures.push(`set_failed: ${meta.error ?? ''}`));
      cache.on('redis_error', (e) => void failures.push(`redis_error ${e.kind}: ${e.message}`));
      await cache.connect();
      const sleeper = rawFx.client(server);
      const sleeping = sleeper.call('DEBUG', 'SLEEP', '0.5');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const pending = cache.set('k', 'v');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await proxy.cut();
      await expect(pending).resolves.toBe('dropped');
      await sleeping;
      expect(failures.sort()).toEqual([
        'redis_error connection: the connection to Redis was lost or not usable before SET was answered',
        'set_failed: the connection to Redis was lost or not usable before SET was answered',
      ]);
      const everything = `${seen.text()}\n${events.text()}\n${JSON.stringify(cache.getStats())}`;
      expect(everything).not.toMatch(CLIENT_INTERNALS);
    } finally {
      await proxy?.close();
    }
  });
});

describe('one command budget per call against a hung server (SIGSTOP); every rejection a typed CacheError', () => {
  class InfoCache extends GenericRedisCache {
    info(section: string): Promise<string[] | null> {
      return this.redisInfo(section);
    }
  }

  it('set whose SET times out returns after one budget (the invalidation it needs runs in the background); scanKeys and INFO reject typed', async () => {
    const BUDGET = 1000;
    const hung = await startRedis({ password: PASSWORD });
    try {
      const cache = fx.track(
        new InfoCache({
          redisUrl: hung.url(),
          securityConfig: securityFor({ redisAuth: PASSWORD }),
          encryption: newEncryption(),
          env: testEnv,
          logger: silentLogger,
          keyPrefix: uniquePrefix('hung'),
          commandTimeoutMs: BUDGET,
        }),
      ) as InfoCache;
      await expect(cache.set('k', 'v1')).resolves.toBe('stored');
      await hung.pause();
      const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
        const started = performance.now();
        const result = await run();
        return [result, performance.now() - started];
      };
      const [outcome, setMs] = await timed(() => cache.set('k', 'v2'));
      expect(outcome).toBe('l1_only');
      expect(setMs).toBeLessThan(2 * BUDGET);
      const [existed, deleteMs] = await timed(() => cache.delete('k'));
      expect(existed).toBe(true);
      expect(deleteMs).toBeLessThan(2 * BUDGET);

      const scanError = await caught(async () => {
        for await (const key of cache.scanKeys('*')) void key;
      });
      expect(CacheError.isCacheError(scanError)).toBe(true);
      expect(scanError).toMatchObject({ name: 'InfrastructureError', code: 'REDIS_TIMEOUT', context: { command: 'SCAN', kind: 'timeout' } });
      expect((scanError as Error).message).toBe(`scanKeys("*"): Redis did not answer SCAN within ${BUDGET} ms`);
      await expect(cache.info('memory')).rejects.toMatchObject({ name: 'InfrastructureError', code: 'REDIS_TIMEOUT' });
      const [report, statsMs] = await timed(() => cache.getCacheStats());
      expect(report.redis.usedMemoryBytes).toBeUndefined();
      expect(statsMs).toBeLessThan(2 * BUDGET);
    } finally {
      await hung.resume();
      await hung.stop();
    }
  });
});

describe('no secret in any error, cause chain, log line, event or stats', () => {
  it('wrong passwords (default user with failOnConnectionError, an ACL user, the security test, the connector) leave no trace of them', async () => {
    const WRONG = 'wrong-secret-pass-7c1d';
    const outputs: string[] = [];

    const strictSeen = capture(null);
    const strict = fx.track(
      new GenericRedisCache({
        redisUrl: `redis://:${WRONG}@127.0.0.1:${server.port}`,
        securityConfig: securityFor({ redisAuth: WRONG }),
        encryption: newEncryption(),
        env: testEnv,
        logger: strictSeen.logger,
        failOnConnectionError: true,
        connectTimeoutMs: 1000,
      }),
    );
    const strictEvents = capture(strict);
    const strictError = await caught(() => strict.connect());
    expect(strictError).toMatchObject({ name: 'InfrastructureError', code: 'CONNECTION_FAILED' });
    expect(((strictError as Error).cause as Error).message).toMatch(/^WRONGPASS/);
    outputs.push(exposed(strictError), strictSeen.text(), strictEvents.text(), JSON.stringify(strict.getStats()), inspect(strict));

    const aclSeen = capture(null);
    const acl = userCache(
      { name: NO_SET.name, password: WRONG },
      { logger: aclSeen.logger, securityConfig: securityFor({ aclUsername: NO_SET.name, aclPassword: WRONG, maxRetries: 0 }) },
    );
    const aclEvents = capture(acl);
    await expect(acl.connect()).resolves.toBe(false);
    expect(acl.connectionState).toBe('failed');
    await acl.set('k', 1);
    outputs.push(aclSeen.text(), aclEvents.text(), JSON.stringify(acl.getStats()), JSON.stringify(await acl.testSecurityConfiguration()));
    outputs.push(await acl.generateSecurityReport(), JSON.stringify(acl.getSecurityStatus()));

    const connector = createIoredisConnector(Redis as unknown as RedisClientConstructor);
    const connectorError = await caught(() =>
      connector({ url: `redis://127.0.0.1:${server.port}`, username: NO_SET.name, password: WRONG, connectTimeout: 1000, commandTimeout: 1000 }),
    );
    expect((connectorError as Error).message).toMatch(/^WRONGPASS/);
    outputs.push(exposed(connectorError));

    const everything = outputs.join('\n');
    expect(everything).toMatch(/WRONGPASS/);
    expect(everything).not.toContain(WRONG);
    expect(everything).not.toContain(PASSWORD);
  });
});
