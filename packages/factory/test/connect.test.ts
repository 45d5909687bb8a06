import { ConfigurationError, InfrastructureError, silentLogger, type CacheInterface } from '@cache/core';
import { InMemoryCache } from '@cache/memory';
import type { GenericRedisCache } from '@cache/redis';
import { describe, expect, it } from 'vitest';
import { connectOrFallback } from '../src/connect.js';
import { CacheFactory } from '../src/index.js';
import { recordingLogger } from './helpers.js';

const plan = (failOnConnectionError: boolean, logger = silentLogger) => ({
  kind: 'web_app' as const,
  redisUrl: 'rediss://app:top-secret-pw@cache:6380',
  failOnConnectionError,
  connectTimeoutMs: 100,
  logger,
});
/** Test double: a constructor that fails with an untyped error (no real constructor does on demand). */
const throwing = (): GenericRedisCache => {
  throw new TypeError('socket factory exploded');
};

describe('construction errors other than configuration/validation (spec F10)', () => {
  it('with failOnConnectionError: InfrastructureError CACHE_CREATION_FAILED naming the cache type, URL redacted', async () => {
    const error = await connectOrFallback(plan(true), throwing, () => new InMemoryCache()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error).toMatchObject({
      message: 'Failed to create web application cache: socket factory exploded',
      code: 'CACHE_CREATION_FAILED',
      context: { redis_url: 'rediss://app:***@cache:6380', cache_type: 'web_app', original_error: 'socket factory exploded' },
    });
  });

  it('without: a warning (no password in it) and the fallback', async () => {
    const logger = recordingLogger();
    const fallback = new InMemoryCache();
    expect(await connectOrFallback(plan(false, logger), throwing, () => fallback)).toEqual({ cache: fallback, fallback: true });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.lines.join('\n')).not.toContain('top-secret-pw');
  });

  it('a ConfigurationError from the constructor propagates unchanged, never a fallback', async () => {
    const refusal = new ConfigurationError('TLS required');
    await expect(connectOrFallback(plan(false), () => { throw refusal; }, () => new InMemoryCache())).rejects.toBe(refusal);
  });
});

describe('createCacheFromConfig wraps untyped delegate errors (spec F16)', () => {
  it('as ConfigurationError "Failed to create cache from configuration: <reason>"', async () => {
    /** Test double: forWebApp fails with a plain Error. */
    class Exploding extends CacheFactory {
      override async forWebApp(): Promise<CacheInterface> {
        throw new Error('unexpected');
      }
    }
    const error = await new Exploding({ logger: silentLogger }).createCacheFromConfig({ redisUrl: 'rediss://cache:6380' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ message: 'Failed to create cache from configuration: unexpected', code: 'CACHE_CREATION_FAILED' });
  });
});
