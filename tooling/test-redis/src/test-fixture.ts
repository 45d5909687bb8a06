import { Redis } from 'ioredis';

/** The environment every test cache reads: the testing environment, no keys. */
export const testEnv: Readonly<Record<string, string | undefined>> = Object.freeze({ NODE_ENV: 'test' });

/** A logger (the `@cache/core` `Logger` shape) that keeps every warning and error message, for assertions. */
export interface RecordingLogger {
  readonly warnings: string[];
  readonly errors: string[];
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** A fresh {@link RecordingLogger}; debug and info lines are dropped. */
export function recordingLogger(): RecordingLogger {
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

/** Anything a test opens and must close: a cache (its `disconnect()` may be async). */
export interface Disconnectable {
  disconnect(): unknown;
}

/**
 * Tracks what a test file opens — caches (through {@link TestFixture.track}) and plain ioredis
 * clients — and closes all of them in {@link TestFixture.closeAll} (call it in `afterEach` or
 * `afterAll`). Packages extend it with factories for their own caches.
 */
export class TestFixture {
  readonly #tracked: Disconnectable[] = [];
  readonly #clients: Redis[] = [];

  /** Registers `resource` for cleanup and returns it. */
  track<C extends Disconnectable>(resource: C): C {
    this.#tracked.push(resource);
    return resource;
  }

  /** A plain ioredis client to look at the raw data (errors swallowed; one retry per request). */
  client(server: { host: string; port: number; password: string | null }): Redis {
    const client = new Redis({ host: server.host, port: server.port, password: server.password ?? undefined, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    this.#clients.push(client);
    return client;
  }

  /** Disconnects everything tracked and every client made so far. */
  async closeAll(): Promise<void> {
    const tracked = this.#tracked.splice(0);
    const clients = this.#clients.splice(0);
    await Promise.all(tracked.map((resource) => resource.disconnect()));
    for (const client of clients) client.disconnect();
  }
}

let prefixCounter = 0;

/** A key prefix unique within this process (`t<n>:<name>:`, ending with `:`). */
export function uniquePrefix(name: string): string {
  prefixCounter += 1;
  return `t${prefixCounter}:${name}:`;
}

/** Resolves once `predicate()` holds (polled every 10 ms); rejects after `timeoutMs` naming `what`. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
