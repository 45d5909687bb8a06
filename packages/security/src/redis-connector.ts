import { sanitizeError } from '@cache/core';
import type { TlsVersion } from './security-options.js';

/** The few commands security checks need; ioredis clients satisfy it (`info()` returns text). */
export interface RedisLikeClient {
  ping(): Promise<unknown>;
  info(...sections: string[]): Promise<string | Record<string, unknown>>;
  quit?(): Promise<unknown>;
  disconnect?(): void;
}

/** TLS options for the client, with Node/ioredis names. */
export interface SecureTlsParams {
  /** `false` only when certificate verification is explicitly disabled. */
  rejectUnauthorized: boolean;
  /** Present (always accepting) only when verification is disabled, to skip host-name checks too. */
  checkServerIdentity?: (host: string, cert: unknown) => Error | undefined;
  minVersion: TlsVersion;
  ciphers?: string;
  cert?: Buffer;
  key?: Buffer;
  ca?: Buffer;
}

/** Plain connection parameters with ioredis-compatible names (no ioredis types). */
export interface SecureConnectionParams {
  /** `redis://` or `rediss://` URL. */
  url: string;
  username?: string;
  password?: string;
  /** Milliseconds. */
  connectTimeout: number;
  /** Milliseconds. */
  commandTimeout: number;
  /** Present iff TLS is on. */
  tls?: SecureTlsParams;
}

/** Opens a connected client for the given parameters, or rejects with the real cause. */
export type RedisConnector = (params: SecureConnectionParams) => Promise<RedisLikeClient>;

/** The slice of an ioredis-style client the connector drives. */
export interface ConnectableRedisClient extends RedisLikeClient {
  /** ioredis' connection state; `'end'` once the client is closed for good. */
  readonly status: string;
  connect(): Promise<void>;
  disconnect(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The options {@link createIoredisConnector} hands to the client constructor (ioredis names). */
export interface IoredisConnectOptions extends Omit<SecureConnectionParams, 'url'> {
  lazyConnect: true;
  enableOfflineQueue: false;
  maxRetriesPerRequest: number;
  /** How long `disconnect()` waits for the server to close the socket before destroying it: `connectTimeout`. */
  disconnectTimeout: number;
  retryStrategy: () => null;
  reconnectOnError: () => boolean;
}

/** An ioredis-compatible client class (e.g. `Redis` from `ioredis`), handed in by the caller. */
export type RedisClientConstructor = new (url: string, options: IoredisConnectOptions) => ConnectableRedisClient;

/**
 * Adapts an ioredis-style class into a {@link RedisConnector} without importing ioredis. Each
 * call makes one bounded attempt: `lazyConnect` + `connect()`, `connectTimeout`/`commandTimeout`
 * from the params, no reconnects (`retryStrategy` → null), no offline queue, one retry per
 * request. The real cause (`WRONGPASS`, `ECONNREFUSED`, certificate errors) is captured from the
 * client's `error` event and rejected, sanitised (core `sanitizeError`: no command arguments such as
 * `AUTH <user> <password>`, no client internals); an attempt not ready within `connectTimeout +
 * commandTimeout` is abandoned; a failed client is disconnected (unless it already ended) so no
 * socket or timer survives; a socket the server does not close is destroyed after `connectTimeout`.
 * The returned client does not reconnect: open a new one after a disconnection.
 */
export function createIoredisConnector(RedisCtor: RedisClientConstructor): RedisConnector {
  return async (params) => {
    const { url, ...rest } = params;
    const client = new RedisCtor(url, {
      ...rest,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      disconnectTimeout: params.connectTimeout,
      retryStrategy: () => null,
      reconnectOnError: () => false,
    });
    let lastError: Error | undefined;
    client.on('error', (error) => {
      lastError = error;
    });
    const readyWithin = params.connectTimeout + params.commandTimeout;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(resolve, readyWithin, 'deadline');
    });
    const connecting = client.connect();
    try {
      if ((await Promise.race([connecting, deadline])) === 'deadline') {
        connecting.catch(() => undefined);
        throw new Error(`Redis did not become ready within ${readyWithin} ms (connectTimeout + commandTimeout)`);
      }
      return client;
    } catch (error) {
      // An ended client has no socket left; disconnecting it again would arm a timer nothing clears.
      if (client.status !== 'end') client.disconnect();
      throw sanitizeError(lastError ?? error);
    } finally {
      clearTimeout(timer);
    }
  };
}
