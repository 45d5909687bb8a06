import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** Bounded defaults so a test against a dead or refusing server fails fast instead of hanging. */
export const FAST_FAIL: RedisOptions = {
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  maxRetriesPerRequest: 1,
  retryStrategy: () => null,
};

/**
 * Tracks ioredis clients made by a test so every one is disconnected afterwards, and records
 * each client's `error` events (ioredis reports the real cause there, not in the rejection).
 */
export class ClientPool {
  private readonly clients: Array<Redis | Cluster> = [];
  readonly errors = new Map<Redis | Cluster, Error[]>();

  redis(url: string, options: RedisOptions = {}): Redis {
    const client = new Redis(url, { ...FAST_FAIL, ...options });
    return this.track(client);
  }

  /** A client that finds the master through sentinels (`options` carries `sentinels` and `name`). */
  viaSentinels(options: RedisOptions): Redis {
    return this.track(new Redis({ connectTimeout: 2_000, commandTimeout: 2_000, ...options }));
  }

  cluster(nodes: ReadonlyArray<{ host: string; port: number }>, options: ClusterOptions = {}): Cluster {
    const client = new Cluster([...nodes], {
      clusterRetryStrategy: () => null,
      ...options,
      redisOptions: { connectTimeout: 2_000, commandTimeout: 2_000, ...options.redisOptions },
    });
    return this.track(client);
  }

  /** The first `error` event the client emits (or has already emitted). */
  firstError(client: Redis | Cluster): Promise<Error> {
    const seen = this.errors.get(client)?.[0];
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => client.once('error', resolve));
  }

  disconnectAll(): void {
    for (const client of this.clients.splice(0)) client.disconnect();
    this.errors.clear();
  }

  private track<T extends Redis | Cluster>(client: T): T {
    const errors: Error[] = [];
    this.errors.set(client, errors);
    client.on('error', (error: Error) => errors.push(error));
    this.clients.push(client);
    return client;
  }
}
