import { detectEnvironment, silentLogger, type CacheMetricsRecorder, type EnvironmentResolver, type Logger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { GenericRedisCache, type GenericRedisCacheOptions } from '@cache/redis';
import { SecurityConfig, type SecurityConfigOptions } from '@cache/security';
import { Redis } from 'ioredis';
import { AIResponseCache, type AIResponseCacheOptions } from '../src/index.js';

/** The environment every test cache reads: the testing environment, no keys. */
export const testEnv: Readonly<Record<string, string | undefined>> = Object.freeze({ NODE_ENV: 'test' });
const testResolver: EnvironmentResolver = (context) => detectEnvironment(testEnv, context);

/** A security config for the testing environment (plain TCP unless options say otherwise). */
export function securityFor(options: SecurityConfigOptions = {}): SecurityConfig {
  return new SecurityConfig({ useTls: false, ...options }, { env: testEnv, logger: silentLogger, resolveEnvironment: testResolver });
}

/** A fresh enabled encryption layer. */
export function newEncryption(): EncryptedCacheLayer {
  return EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger });
}

/** Logger that records warnings for assertions. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
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
export class Fixture {
  readonly #caches: GenericRedisCache[] = [];
  readonly #clients: Redis[] = [];

  /** An AIResponseCache on `server` with generated encryption and fast reconnects. */
  ai(server: Target, options: Partial<AIResponseCacheOptions> = {}): AIResponseCache {
    return this.track(
      new AIResponseCache({
        redisUrl: server.url(),
        securityConfig: securityFor(server.password ? { redisAuth: server.password } : {}),
        encryption: newEncryption(),
        ...fast,
        ...options,
      }),
    );
  }

  /** A GenericRedisCache on `server` with generated encryption and fast reconnects. */
  generic(server: Target, options: Partial<GenericRedisCacheOptions> = {}): GenericRedisCache {
    return this.track(
      new GenericRedisCache({
        redisUrl: server.url(),
        securityConfig: securityFor(server.password ? { redisAuth: server.password } : {}),
        encryption: newEncryption(),
        ...fast,
        ...options,
      }),
    );
  }

  /** Registers a cache for cleanup. */
  track<C extends GenericRedisCache>(cache: C): C {
    this.#caches.push(cache);
    return cache;
  }

  /** A plain ioredis client to look at the raw data. */
  client(server: { host: string; port: number; password: string | null }): Redis {
    const client = new Redis({ host: server.host, port: server.port, password: server.password ?? undefined, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    this.#clients.push(client);
    return client;
  }

  /** Disconnects every cache and client made so far. */
  async closeAll(): Promise<void> {
    const caches = this.#caches.splice(0);
    const clients = this.#clients.splice(0);
    await Promise.all(caches.map((cache) => cache.disconnect()));
    clients.forEach((client) => client.disconnect());
  }
}

let prefixCounter = 0;
/** A unique key prefix per test (ends with `:`). */
export function uniquePrefix(name: string): string {
  prefixCounter += 1;
  return `t${prefixCounter}:${name}:`;
}

/** Waits until `predicate()` holds (polling every 10 ms), failing after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
