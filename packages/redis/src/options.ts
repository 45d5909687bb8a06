import {
  ConfigurationError,
  MAX_TTL_SECONDS,
  defaultLogger,
  jsonCodec,
  systemClock,
  type CacheMetricsRecorder,
  type Clock,
  type Codec,
  type Logger,
} from '@cache/core';
import type { EncryptedCacheLayer } from '@cache/encryption';
import type { SecurityConfig } from '@cache/security';
import type { Cluster, Redis } from 'ioredis';
import type { L1CoherenceOption } from './l1-coherence.js';
import type { ClearMode } from './namespace.js';
import { parseRedisUrl, type ParsedRedisUrl } from './redis-url.js';

/** A cluster seed node. */
export type ClusterNode = string | { host: string; port: number };

/** A Redis Sentinel deployment: the master group `name` and the sentinels to ask for its address. */
export interface SentinelTarget {
  /** The master group name the sentinels monitor. */
  name: string;
  /** At least one sentinel (`"host:port"` or `{ host, port }`). */
  sentinels: ReadonlyArray<ClusterNode>;
  /** ACL user of the sentinels themselves, if they require one (the master's credentials come from the security config). */
  sentinelUsername?: string;
  /** Password of the sentinels themselves, if they require one; never logged. */
  sentinelPassword?: string;
  /**
   * Replicas that must have a write before `set`/`delete` report it stored (Redis `WAIT`, within
   * the command budget), so that a failover cannot bring back a value older than an acknowledged
   * write; integer 0..5, default 1 (0: do not wait).
   */
  replicasToAcknowledge?: number;
}

/** Options of `GenericRedisCache`; exactly one of `redisUrl`, `cluster`, `sentinel`, `client` is required. */
export interface GenericRedisCacheOptions {
  /** `redis://`, `rediss://` or `unix://` URL. */
  redisUrl?: string;
  /** Redis Cluster seed nodes. */
  cluster?: { nodes: ReadonlyArray<ClusterNode> };
  /**
   * Redis Sentinel: the cache connects to the master the sentinels name and follows failovers.
   * TLS and credentials from the security config apply to the master and (TLS) to the sentinels.
   */
  sentinel?: SentinelTarget;
  /** A caller-owned ioredis client; `disconnect()` detaches it without quitting it. */
  client?: Redis | Cluster;
  /**
   * Physical key namespace applied by this class (not ioredis' keyPrefix); default `''`. A
   * non-empty prefix must end with `:`, so that no prefix is the start of another (`app` would
   * also own the keys of `app2`). Nested prefixes (`app:` and `app:sub:`) still overlap, like
   * directories: `clear()` of `app:` also removes `app:sub:` keys.
   */
  keyPrefix?: string;
  /** This cache's name in statistics and metrics (the `cache` label); default `'redis'`. */
  name?: string;
  /** Seconds, integer 1..31 536 000; default 3600. */
  defaultTtl?: number;
  /** Default true. */
  enableL1Cache?: boolean;
  /**
   * How L1 stays coherent with Redis across instances (default `'tracking'`): Redis client-side
   * caching notifications (falls back to `'pubsub'` when the ACL refuses `CLIENT`), a pub/sub channel
   * of key digests, or `'off'` (warned once: another instance's change is then served until the L1 TTL ends).
   */
  l1Coherence?: L1CoherenceOption;
  /** Entries, integer 0..10 000 (0 = no L1); default 100. */
  l1CacheSize?: number;
  /**
   * How `clear()` empties the namespace (needs a `keyPrefix`; every instance of one prefix must use
   * the same mode). `'scan'` (default): SCAN + UNLINK of every key of the prefix on every master —
   * cost grows with the number of keys, memory is freed at once, the layout stays `<keyPrefix><key>`.
   * `'generation'`: one `INCR` of a generation counter under the prefix — O(1) whatever the key
   * count; later keys live under a generation segment (`<keyPrefix>\xFF<n>\xFF<key>`), the old
   * generation's memory is freed only as its TTLs end, and readers that do not know generations
   * (older versions, the Python envelope reader, `cache inspect`) keep seeing the old generation.
   * Without a confirmed L1 coherence channel (no L1, `l1Coherence: 'off'`, channel down) each Redis
   * command then costs one more round trip (a GET of the counter).
   */
  clear?: ClearMode;
  /** Seconds, integer 1..86 400: cap for any L1 entry; default 86 400. */
  l1MaxTtl?: number;
  /**
   * How L1 hands out values. `'copy'` (default): every hit returns a fresh, mutable copy (with the
   * JSON codec L1 keeps one private JSON tree per entry and copies it structurally; with another
   * codec it decodes the codec's bytes). `'frozen'`: each value is decoded once when it enters L1
   * (from the bytes sent to Redis, or the Redis reply), deep-frozen, and every hit returns that same
   * read-only object — callers cannot corrupt it (writes throw in strict mode) and a hit costs no
   * copy: several times faster. Only the JSON codec can freeze; other codecs always copy.
   */
  l1Values?: 'frozen' | 'copy';
  /**
   * Bytes of codec output above which compression is tried, integer 0..1 048 576; default 8192.
   * A compressed body is kept only when it saves at least a third (see the README's measurements).
   */
  compressionThreshold?: number;
  /** zlib level, integer 1..9; default 1 (about 2–3× faster than 6, within ~10 % of its size on JSON). */
  compressionLevel?: number;
  /** Largest codec output accepted, bytes; default 8 MiB. */
  maxValueBytes?: number;
  /** Default `SecurityConfig.createForEnvironment()` reading `env`. */
  securityConfig?: SecurityConfig;
  /** Default: from `securityConfig.encryptionKey`, else `REDIS_ENCRYPTION_KEY`; none → ConfigurationError. */
  encryption?: EncryptedCacheLayer;
  /** Explicit opt-out of value encryption (warns once); default false. */
  allowUnencrypted?: boolean;
  /** Also read Python-era `rawj:` values; default false. */
  readLegacyPythonFormat?: boolean;
  /** `connect()` rejects with `InfrastructureError` instead of resolving false; default false. */
  failOnConnectionError?: boolean;
  /** Default min(security connect timeout, 2000) ms. */
  connectTimeoutMs?: number;
  /** Default min(security command timeout, 1000) ms. */
  commandTimeoutMs?: number;
  /** Reconnect back-off: exponential with jitter from `baseDelayMs` (100) up to `maxDelayMs` (5000). */
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number };
  /** SCAN COUNT hint, integer 1..100 000; default 1000. */
  scanCount?: number;
  /**
   * Most invalidations kept while Redis has not applied them, default 10 000. Past it the backlog
   * is folded into coarser invalidations (per first key segment, then the whole prefix), never dropped.
   */
  pendingInvalidationLimit?: number;
  /** Receives operation, compression and invalidation measurements. */
  performanceMonitor?: CacheMetricsRecorder;
  /**
   * Value codec; default core's `jsonCodec` (which Python reads). Core's `richCodec` also stores
   * Date, BigInt, Map, Set, binary and `undefined` members; readers on another codec see its
   * entries as misses (`unknown_codec`), never as wrong values.
   */
  codec?: Codec;
  /** Default `systemClock`. */
  clock?: Clock;
  /** Default core's `defaultLogger`. */
  logger?: Logger;
  /** Where `REDIS_ENCRYPTION_KEY` and the `REDIS_*` security variables are read; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Where the cache connects. */
export type Target =
  | { kind: 'url'; url: string; parsed: ParsedRedisUrl }
  | { kind: 'cluster'; nodes: ReadonlyArray<ClusterNode> }
  | {
      kind: 'sentinel';
      name: string;
      sentinels: ReadonlyArray<{ host: string; port: number }>;
      sentinelUsername: string | undefined;
      sentinelPassword: string | undefined;
      replicasToAcknowledge: number;
    }
  | { kind: 'client'; client: Redis | Cluster };

/** Options after defaults and validation. */
export interface ResolvedOptions {
  target: Target;
  keyPrefix: string;
  name: string;
  defaultTtl: number;
  enableL1Cache: boolean;
  l1Coherence: L1CoherenceOption;
  clear: ClearMode;
  l1CacheSize: number;
  l1MaxTtl: number;
  l1Values: 'frozen' | 'copy';
  compressionThreshold: number;
  compressionLevel: number;
  maxValueBytes: number;
  allowUnencrypted: boolean;
  readLegacyPythonFormat: boolean;
  failOnConnectionError: boolean;
  connectTimeoutMs: number | undefined;
  commandTimeoutMs: number | undefined;
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  scanCount: number;
  pendingInvalidationLimit: number;
  performanceMonitor: CacheMetricsRecorder | undefined;
  codec: Codec;
  clock: Clock;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  securityConfig: SecurityConfig | undefined;
  encryption: EncryptedCacheLayer | undefined;
}

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'redisUrl', 'cluster', 'sentinel', 'client', 'keyPrefix', 'name', 'defaultTtl', 'enableL1Cache', 'l1Coherence', 'clear', 'l1CacheSize', 'l1MaxTtl', 'l1Values',
  'compressionThreshold', 'compressionLevel', 'maxValueBytes', 'securityConfig', 'encryption', 'allowUnencrypted',
  'readLegacyPythonFormat', 'failOnConnectionError', 'connectTimeoutMs', 'commandTimeoutMs', 'reconnect', 'scanCount',
  'pendingInvalidationLimit', 'performanceMonitor', 'codec', 'clock', 'logger', 'env',
]);

const MIB = 1024 * 1024;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return typeof value;
}

function invalid(option: string, rule: string, value: unknown): ConfigurationError {
  return new ConfigurationError(`${option} ${rule} (got ${show(value)})`, {
    code: 'INVALID_CONFIGURATION',
    context: { option, value: show(value) },
  });
}

function integer(o: Record<string, unknown>, name: string, fallback: number, min: number, max: number, unit: string): number {
  const value = o[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `must be an integer between ${min} and ${max}${unit ? ` ${unit}` : ''}`, value);
  }
  return value;
}

function optionalPositive(o: Record<string, unknown>, name: string): number | undefined {
  const value = o[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(name, 'must be a positive integer (milliseconds)', value);
  return value;
}

function boolean(o: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = o[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, 'must be a boolean', value);
  return value;
}

function withMethods<T>(o: Record<string, unknown>, name: string, methods: readonly string[]): T | undefined {
  const value = o[name];
  if (value === undefined) return undefined;
  const ok = typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  if (!ok) throw invalid(name, `must be an object with ${methods.join(', ')}()`, value);
  return value as T;
}

function reconnectDelays(o: Record<string, unknown>): { base: number; max: number } {
  const value = o.reconnect;
  if (value === undefined) return { base: 100, max: 5000 };
  if (typeof value !== 'object' || value === null) throw invalid('reconnect', 'must be an object { baseDelayMs?, maxDelayMs? }', value);
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (key !== 'baseDelayMs' && key !== 'maxDelayMs') throw invalid(`reconnect.${key}`, 'is not a known option (baseDelayMs, maxDelayMs)', r[key]);
  }
  const base = integer(r, 'baseDelayMs', 100, 1, 60_000, 'ms');
  const max = integer(r, 'maxDelayMs', 5000, 1, 300_000, 'ms');
  if (max < base) throw invalid('reconnect.maxDelayMs', `must be at least baseDelayMs (${base})`, max);
  return { base, max };
}

function clusterNodes(value: unknown): ReadonlyArray<ClusterNode> {
  const nodes = typeof value === 'object' && value !== null ? (value as { nodes?: unknown }).nodes : undefined;
  const valid =
    Array.isArray(nodes) &&
    nodes.length > 0 &&
    nodes.every(
      (n: unknown) =>
        (typeof n === 'string' && n !== '') ||
        (typeof n === 'object' && n !== null && typeof (n as { host?: unknown }).host === 'string' &&
          Number.isInteger((n as { port?: unknown }).port)),
    );
  if (!valid) throw invalid('cluster', 'must be { nodes: [...] } with at least one "host:port" or { host, port }', value);
  return nodes as ClusterNode[];
}

const SENTINEL_KEYS: ReadonlySet<string> = new Set(['name', 'sentinels', 'sentinelUsername', 'sentinelPassword', 'replicasToAcknowledge']);

function sentinelTarget(value: unknown): Target {
  if (typeof value !== 'object' || value === null) throw invalid('sentinel', 'must be { name, sentinels: [...] }', value);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!SENTINEL_KEYS.has(key)) throw invalid(`sentinel.${key}`, 'is not a known option (name, sentinels, sentinelUsername, sentinelPassword, replicasToAcknowledge)', key === 'sentinelPassword' ? '[redacted]' : v[key]);
  }
  if (typeof v.name !== 'string' || v.name === '') throw invalid('sentinel.name', 'must be the non-empty master group name', v.name);
  const nodes = clusterNodes({ nodes: v.sentinels }).map((node) => {
    if (typeof node !== 'string') return { host: node.host, port: node.port };
    const colon = node.lastIndexOf(':');
    const port = Number(node.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port)) throw invalid('sentinel.sentinels', 'entries must be "host:port" or { host, port }', node);
    return { host: node.slice(0, colon), port };
  });
  for (const key of ['sentinelUsername', 'sentinelPassword'] as const) {
    if (v[key] !== undefined && (typeof v[key] !== 'string' || v[key] === '')) throw invalid(`sentinel.${key}`, 'must be a non-empty string', key === 'sentinelPassword' ? '[redacted]' : v[key]);
  }
  return {
    kind: 'sentinel',
    name: v.name,
    sentinels: nodes,
    sentinelUsername: v.sentinelUsername as string | undefined,
    sentinelPassword: v.sentinelPassword as string | undefined,
    replicasToAcknowledge: integer(v, 'replicasToAcknowledge', 1, 0, 5, 'replicas'),
  };
}

function target(o: Record<string, unknown>): Target {
  const given = (['redisUrl', 'cluster', 'sentinel', 'client'] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1) {
    throw new ConfigurationError(
      `exactly one of redisUrl, cluster, sentinel or client must be given (got ${given.length === 0 ? 'none' : given.join(' and ')})`,
      { code: 'INVALID_CONFIGURATION', context: { option: 'redisUrl|cluster|sentinel|client', given } },
    );
  }
  if (o.sentinel !== undefined) return sentinelTarget(o.sentinel);
  if (o.redisUrl !== undefined) return { kind: 'url', url: o.redisUrl as string, parsed: parseRedisUrl(o.redisUrl) };
  if (o.cluster !== undefined) return { kind: 'cluster', nodes: clusterNodes(o.cluster) };
  const client = o.client;
  if (typeof client !== 'object' || client === null || typeof (client as { on?: unknown }).on !== 'function') {
    throw invalid('client', 'must be an ioredis Redis or Cluster instance', client);
  }
  return { kind: 'client', client: client as Redis | Cluster };
}

function coherence(value: unknown): L1CoherenceOption {
  if (value === undefined) return 'tracking';
  if (value === 'tracking' || value === 'pubsub' || value === 'off') return value;
  throw invalid('l1Coherence', "must be 'tracking', 'pubsub' or 'off'", value);
}

function clearMode(value: unknown, keyPrefix: string): ClearMode {
  if (value === undefined || value === 'scan') return 'scan';
  if (value !== 'generation') throw invalid('clear', "must be 'scan' or 'generation'", value);
  if (keyPrefix === '') throw invalid('clear', "'generation' requires a non-empty keyPrefix (the generation counter lives under it)", value);
  return value;
}

/** Applies defaults and the option checks in order; throws `ConfigurationError` `INVALID_CONFIGURATION` naming the option. */
export function resolveOptions(options: GenericRedisCacheOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object', options);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN_OPTIONS.has(key)) throw invalid(key, 'is not a known GenericRedisCache option', o[key]);
  }
  const defaultTtl = integer(o, 'defaultTtl', 3600, 1, MAX_TTL_SECONDS, 'seconds');
  const l1CacheSize = integer(o, 'l1CacheSize', 100, 0, 10_000, 'entries');
  const compressionLevel = integer(o, 'compressionLevel', 1, 1, 9, '');
  const compressionThreshold = integer(o, 'compressionThreshold', 8192, 0, 1_048_576, 'bytes');
  const l1MaxTtl = integer(o, 'l1MaxTtl', 86_400, 1, 86_400, 'seconds');
  const connectTimeoutMs = optionalPositive(o, 'connectTimeoutMs');
  const commandTimeoutMs = optionalPositive(o, 'commandTimeoutMs');
  const scanCount = integer(o, 'scanCount', 1000, 1, 100_000, '');
  const resolvedTarget = target(o);
  const keyPrefix = o.keyPrefix ?? '';
  if (typeof keyPrefix !== 'string') throw invalid('keyPrefix', 'must be a string', keyPrefix);
  if (keyPrefix !== '' && !keyPrefix.endsWith(':')) {
    throw invalid(
      'keyPrefix',
      `must end with ':' so that no prefix is the start of another (${JSON.stringify(keyPrefix)} would also read and clear the keys of ${JSON.stringify(`${keyPrefix}2`)}); use ${JSON.stringify(`${keyPrefix}:`)}`,
      keyPrefix,
    );
  }
  const l1Values = o.l1Values ?? 'copy';
  if (l1Values !== 'frozen' && l1Values !== 'copy') throw invalid('l1Values', "must be 'frozen' or 'copy'", l1Values);
  const name = o.name ?? 'redis';
  if (typeof name !== 'string' || name.trim() === '') throw invalid('name', 'must be a non-empty string', name);
  const maxValueBytes = integer(o, 'maxValueBytes', 8 * MIB, 1, 512 * MIB, 'bytes');
  const pendingInvalidationLimit = integer(o, 'pendingInvalidationLimit', 10_000, 1, 10_000_000, 'entries');
  const reconnect = reconnectDelays(o);
  const env = o.env ?? process.env;
  if (typeof env !== 'object' || env === null) throw invalid('env', 'must be an object of strings', env);
  return {
    target: resolvedTarget,
    keyPrefix,
    name,
    defaultTtl,
    enableL1Cache: boolean(o, 'enableL1Cache', true),
    l1Coherence: coherence(o.l1Coherence),
    clear: clearMode(o.clear, keyPrefix),
    l1CacheSize,
    l1MaxTtl,
    l1Values,
    compressionThreshold,
    compressionLevel,
    maxValueBytes,
    allowUnencrypted: boolean(o, 'allowUnencrypted', false),
    readLegacyPythonFormat: boolean(o, 'readLegacyPythonFormat', false),
    failOnConnectionError: boolean(o, 'failOnConnectionError', false),
    connectTimeoutMs,
    commandTimeoutMs,
    reconnectBaseDelayMs: reconnect.base,
    reconnectMaxDelayMs: reconnect.max,
    scanCount,
    pendingInvalidationLimit,
    performanceMonitor: withMethods<CacheMetricsRecorder>(o, 'performanceMonitor', ['recordOperation']),
    codec: withMethods<Codec>(o, 'codec', ['encode', 'decode']) ?? jsonCodec,
    clock: withMethods<Clock>(o, 'clock', ['now']) ?? systemClock,
    logger: withMethods<Logger>(o, 'logger', ['debug', 'info', 'warn', 'error']) ?? defaultLogger,
    env: env as Readonly<Record<string, string | undefined>>,
    securityConfig: withMethods<SecurityConfig>(o, 'securityConfig', ['validateMandatorySecurityRequirements']),
    encryption: withMethods<EncryptedCacheLayer>(o, 'encryption', ['encryptBytesRaw', 'decryptBytesRaw', 'decryptBytes']),
  };
}
