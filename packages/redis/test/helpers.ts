import { detectEnvironment, silentLogger, type EnvironmentResolver, type Logger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { SecurityConfig, type SecurityConfigOptions } from '@cache/security';
import type { RedisTestServer } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { GenericRedisCache, type GenericRedisCacheOptions } from '../src/index.js';

/** The environment every test cache reads: the testing environment, no keys. */
export const testEnv: Readonly<Record<string, string | undefined>> = Object.freeze({ NODE_ENV: 'test' });
export const testResolver: EnvironmentResolver = (context) => detectEnvironment(testEnv, context);

/** A security config for the testing environment (plain TCP unless options say otherwise). */
export function securityFor(options: SecurityConfigOptions = {}, logger: Logger = silentLogger): SecurityConfig {
  return new SecurityConfig({ useTls: false, ...options }, { env: testEnv, logger, resolveEnvironment: testResolver });
}

/** A fresh enabled encryption layer. */
export function newEncryption(): EncryptedCacheLayer {
  return EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger });
}

/** Logger that records warnings and errors for assertions. */
export function recordingLogger(): Logger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return {
    warnings,
    errors,
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: (message) => errors.push(message),
  };
}

/** Creates caches and plain clients and closes all of them in `closeAll()` (call it in afterEach/afterAll). */
export class Fixture {
  readonly #caches: GenericRedisCache[] = [];
  readonly #clients: Redis[] = [];

  /** A cache on `server` (plain, password from the server) with fast reconnects and generated encryption. */
  cache(server: RedisTestServer | { url(): string; password: string | null }, options: Partial<GenericRedisCacheOptions> = {}): GenericRedisCache {
    const cache = new GenericRedisCache({
      redisUrl: server.url(),
      securityConfig: securityFor(server.password ? { redisAuth: server.password } : {}),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      connectTimeoutMs: 1000,
      commandTimeoutMs: 1000,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
      ...options,
    });
    return this.track(cache);
  }

  /** Registers a cache for cleanup. */
  track(cache: GenericRedisCache): GenericRedisCache {
    this.#caches.push(cache);
    return cache;
  }

  /** A plain ioredis client (RESP3) to look at the raw data. */
  client(server: { host: string; port: number; password: string | null }): Redis {
    const client = new Redis({ host: server.host, port: server.port, password: server.password ?? undefined, maxRetriesPerRequest: 1, lazyConnect: false });
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

/** Unique key prefix per test. */
let prefixCounter = 0;
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
