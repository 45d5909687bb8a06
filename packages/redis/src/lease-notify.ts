import { sanitizeError, type Logger } from '@cache/core';
import { budgetOptions } from './command-budget.js';
import { isCluster, type RedisClient } from './scan-unlink.js';

/**
 * Wakes `getOrSet` followers when a lease of this cache's prefix is given back: one subscriber
 * connection per cache (a `duplicate()` of the cache's client, created on the first wait), one
 * channel per key prefix whose messages are key digests only — never keys or values. Best effort:
 * a message that is lost, or a subscription Redis refuses (ACL channel rules), only leaves the
 * followers to their polling.
 */
export class LeaseNotifier {
  readonly #channel: string;
  readonly #logger: Logger;
  readonly #waiters = new Map<string, Set<() => void>>();
  #subscriber: RedisClient | null = null;

  constructor(channel: string, logger: Logger) {
    this.#channel = channel;
    this.#logger = logger;
  }

  /**
   * Resolves when the lease behind `digest` was given back, after `ms`, or when `signal` aborts,
   * whichever comes first; subscribes through `client` first if this cache has not yet.
   */
  wait(client: RedisClient, digest: string, ms: number, signal: AbortSignal): Promise<void> {
    if (this.#subscriber === null) this.#subscribe(client);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        const set = this.#waiters.get(digest);
        set?.delete(done);
        if (set?.size === 0) this.#waiters.delete(digest);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      let set = this.#waiters.get(digest);
      if (set === undefined) this.#waiters.set(digest, (set = new Set()));
      set.add(done);
    });
  }

  /** Closes the subscriber connection (the cache's `disconnect()`); the next wait subscribes again. */
  close(): void {
    const subscriber = this.#subscriber;
    this.#subscriber = null;
    if (subscriber === null) return;
    subscriber.removeAllListeners('message');
    subscriber.disconnect();
  }

  #subscribe(client: RedisClient): void {
    const subscriber: RedisClient = isCluster(client) ? client.duplicate() : client.duplicate(budgetOptions(client));
    this.#subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, digest: string) => {
      if (channel !== this.#channel) return;
      const set = this.#waiters.get(digest);
      if (set) for (const wake of [...set]) wake();
    });
    subscriber
      .connect()
      .then(() => subscriber.subscribe(this.#channel))
      .catch((error: unknown) => {
        if (this.#subscriber !== subscriber) return;
        this.#logger.warn('getOrSet lease notifications are unavailable; followers poll instead', {
          error: sanitizeError(error).message,
        });
      });
  }
}
