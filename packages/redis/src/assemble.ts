import { InMemoryCache } from '@cache/memory';
import type { EncryptedCacheLayer } from '@cache/encryption';
import type { RedisCacheSecurityManager } from '@cache/security';
import type { CacheParts } from './cache-parts.js';
import { RedisConnection } from './connection.js';
import { EventHub } from './events.js';
import { InvalidationEngine } from './invalidation-engine.js';
import { KeyCoordinator } from './key-coordinator.js';
import { l1Mode } from './l1-values.js';
import { L1Coherence } from './l1-coherence.js';
import { MetricsReporter } from './metrics-reporter.js';
import { Namespace } from './namespace.js';
import { OperationReport } from './operation-report.js';
import type { ResolvedOptions } from './options.js';
import { InvalidationLedger } from './pending-invalidations.js';
import { ProblemReporter } from './problems.js';
import { ReadPath } from './read-path.js';
import { createRedisReadThrough, type RedisReadThrough } from './read-through.js';
import { StatsCollector } from './stats.js';
import type { WireFormatConfig } from './wire-format.js';
import { WritePath } from './write-path.js';

/** The working parts of one `GenericRedisCache`, wired to each other. */
export interface AssembledCache {
  readonly parts: CacheParts;
  readonly engine: InvalidationEngine;
  readonly read: ReadPath;
  readonly write: WritePath;
  readonly readThrough: RedisReadThrough;
}

/** What the cache object itself supplies to its parts. */
export interface AssemblyHooks {
  readonly security: RedisCacheSecurityManager;
  readonly encryption: EncryptedCacheLayer;
  /** Whether the caller injected a clock (L1 keeps memory's coarse monotonic clock otherwise). */
  readonly clockInjected: boolean;
  /** The connection a first command may wait for (the cache connects lazily), or null. */
  readonly startupGate: () => Promise<unknown> | null;
  /** Whether a Redis hit may be copied into L1 (the cache's overridable hook). */
  readonly shouldPromote: (key: string, remainingTtlMs: number) => boolean;
}

/**
 * Builds and wires every part of a cache from its resolved options: the wire format, the optional
 * L1 and its coherence channel, the key namespace, the connection (coherence attached and pending
 * invalidations replayed before each `ready`), statistics, events and metrics, then the read,
 * write, invalidation and read-through paths over them. Connects nothing.
 */
export function assembleCache(o: ResolvedOptions, hooks: AssemblyHooks): AssembledCache {
  const wire: WireFormatConfig = {
    codec: o.codec,
    encryption: hooks.encryption.isEnabled ? hooks.encryption : undefined,
    compressionThreshold: o.compressionThreshold,
    compressionLevel: o.compressionLevel,
    maxValueBytes: o.maxValueBytes,
    readLegacyPythonFormat: o.readLegacyPythonFormat,
  };
  const mode = l1Mode(o);
  const l1 =
    o.enableL1Cache && o.l1CacheSize > 0
      ? new InMemoryCache({
          maxSize: o.l1CacheSize,
          defaultTtl: Math.min(o.defaultTtl, o.l1MaxTtl),
          // Memory's default clock (monotonic, coarse) unless one was injected.
          ...(hooks.clockInjected ? { clock: o.clock } : {}),
          logger: o.logger,
          ...(mode === 'codec' ? { codec: o.codec } : {}),
        })
      : null;
  const stats = new StatsCollector();
  const events = new EventHub(o.logger, () => {
    stats.counters.callbackErrors++;
  });
  const metrics = new MetricsReporter(o.performanceMonitor, o.logger);
  const keys = new KeyCoordinator();
  const coherence =
    l1 === null
      ? null
      : new L1Coherence({ mode: o.l1Coherence, l1, keyPrefix: o.keyPrefix, keys, logger: o.logger, onFlush: () => namespace.changed() });
  const namespace = new Namespace({
    keyPrefix: o.keyPrefix,
    mode: o.clear,
    watched: () => coherence !== null && coherence.mode !== 'off' && coherence.trusted,
  });
  if (l1 !== null && o.l1Coherence === 'off') {
    o.logger.warn("l1Coherence: 'off' — L1 may serve a value another instance replaced or deleted until that entry's L1 TTL ends");
  }
  const url = o.target.kind === 'url' ? o.target.url : undefined;
  const conn: RedisConnection = new RedisConnection({
    target: o.target,
    params: () => hooks.security.buildConnectionParams(url),
    connectTimeoutMs: o.connectTimeoutMs,
    commandTimeoutMs: o.commandTimeoutMs,
    reconnectBaseDelayMs: o.reconnectBaseDelayMs,
    reconnectMaxDelayMs: o.reconnectMaxDelayMs,
    failOnConnectionError: o.failOnConnectionError,
    logger: o.logger,
    counters: () => stats.counters,
    onStateChange: (state, previous, error) => {
      events.emit('connection_state', state, previous, ...(error === undefined ? [] : [error]));
    },
    beforeReady: async (client, stillCurrent) => {
      // Coherence first, so that `ready` normally finds L1 trusted (bounded: never blocks ready).
      coherence?.attach(client);
      await engine.beforeReady(client, stillCurrent);
      // Bounded well inside the connect timeout, so waiting for trust never makes `connect()` time out.
      await coherence?.whenTrusted(Math.min(conn.commandTimeoutMs, conn.connectTimeoutMs / 2));
    },
  });
  const parts: CacheParts = {
    o,
    keyPrefix: o.keyPrefix,
    namespace,
    wire,
    l1,
    l1Mode: mode,
    coherence,
    conn,
    stats,
    events,
    metrics,
    report: new OperationReport(stats, metrics, events, l1 !== null),
    problems: new ProblemReporter(o.logger, events, () => stats.counters),
    keys,
    ledger: new InvalidationLedger(o.pendingInvalidationLimit),
    startupGate: hooks.startupGate,
  };
  const engine = new InvalidationEngine(parts);
  const read = new ReadPath(parts, hooks.shouldPromote);
  const write = new WritePath(parts, engine);
  return { parts, engine, read, write, readThrough: createRedisReadThrough(parts, read, write) };
}
