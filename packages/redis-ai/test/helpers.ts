import { detectEnvironment, silentLogger, type CacheMetricsRecorder, type EnvironmentResolver } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { GenericRedisCache, type GenericRedisCacheOptions } from '@cache/redis';
import { SecurityConfig, type SecurityConfigOptions } from '@cache/security';
import { TestFixture, testEnv } from '@cache-tooling/test-redis';
import { AIResponseCache, type AIResponseCacheOptions } from '../src/index.js';

export { recordingLogger, testEnv, until } from '@cache-tooling/test-redis';
const testResolver: EnvironmentResolver = (context) => detectEnvironment(testEnv, context);

/** A security config for the testing environment (plain TCP unless options say otherwise). */
export function securityFor(options: SecurityConfigOptions = {}): SecurityConfig {
  return new SecurityConfig({ useTls: false, ...options }, { env: testEnv, logger: silentLogger, resolveEnvironment: testResolver });
}

/** A fresh enabled encryption layer. */
export function newEncryption(): EncryptedCacheLayer {
  return EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger });
}

/** A metrics recorder that keeps every call, for assertions. */
export function recordingRecorder(): CacheMetricsRecorder & { calls: Array<{ hook: string; args: unknown[] }> } {
  const calls: Array<{ hook: string; args: unknown[] }> = [];
  const keep = (hook: string) => (...args: unknown[]) => {
    calls.push({ hook, args });
  };
  return {
    calls,
    recordOperation: keep('recordOperation'),
    recordCacheOperationTime: keep('recordCacheOperationTime'),
    recordKeyGenerationTime: keep('recordKeyGenerationTime'),
    recordCompressionRatio: keep('recordCompressionRatio'),
    recordInvalidationEvent: keep('recordInvalidationEvent'),
  };
}

/** Where a test cache connects: a test server (or anything with `url()` and `password`). */
export interface Target {
  url(): string;
  password: string | null;
}

const fast = {
  env: testEnv,
  logger: silentLogger,
  connectTimeoutMs: 1000,
  commandTimeoutMs: 1000,
  reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
} as const;

/** Creates caches and plain clients and closes all of them in `closeAll()` (call it in afterEach/afterAll). */
export class Fixture extends TestFixture {
  /** An AIResponseCache on `server` with generated encryption and fast reconnects. */
  ai(server: Target, options: Partial<AIResponseCacheOptions> = {}): AIResponseCache {
    return this.track(new AIResponseCache({ redisUrl: server.url(), securityConfig: securityFor(server.password ? { redisAuth: server.password } : {}), encryption: newEncryption(), ...fast, ...options }));
  }

  /** A GenericRedisCache on `server` with generated encryption and fast reconnects. */
  generic(server: Target, options: Partial<GenericRedisCacheOptions> = {}): GenericRedisCache {
    return this.track(new GenericRedisCache({ redisUrl: server.url(), securityConfig: securityFor(server.password ? { redisAuth: server.password } : {}), encryption: newEncryption(), ...fast, ...options }));
  }
}
