// The benchmark's rows (issue 15's table plus the getOrSet and getMany rows of issues 12 and 15) and
// its columns (contenders).
import type { AdapterSetup, Job, LibId, Mode } from './contract.js';

/** A contender column: which library, in which @cache variant. */
export interface Column {
  id: ColumnId;
  /** Heading; the installed version is appended. */
  title: string;
  /** npm package whose version is shown. */
  pkg: string;
  lib: LibId;
  variant: AdapterSetup['variant'];
}

export type ColumnId = '@cache' | '@cache-unencrypted' | '@cache-frozen' | 'bentocache' | 'cache-manager' | 'cacheable' | 'node-redis';

export const COLUMNS: readonly Column[] = [
  { id: '@cache', title: '@cache', pkg: '@cache/core', lib: 'cache', variant: 'default' },
  { id: '@cache-unencrypted', title: '@cache, encryption opted out', pkg: '@cache/core', lib: 'cache', variant: 'unencrypted' },
  { id: '@cache-frozen', title: "@cache, l1Values: 'frozen'", pkg: '@cache/core', lib: 'cache', variant: 'frozen-l1' },
  { id: 'bentocache', title: 'BentoCache', pkg: 'bentocache', lib: 'bentocache', variant: 'default' },
  { id: 'cache-manager', title: 'cache-manager', pkg: 'cache-manager', lib: 'cache-manager', variant: 'default' },
  { id: 'cacheable', title: 'cacheable', pkg: 'cacheable', lib: 'cacheable', variant: 'default' },
  { id: 'node-redis', title: 'node-redis', pkg: 'redis', lib: 'node-redis', variant: 'default' },
];

/** The floor a row's ratios are taken against. */
export interface Floor {
  lib: LibId;
  mode: Mode;
  /** Shown in the floor column, e.g. `lru-cache get`. */
  label: string;
}

export interface Row {
  /** Stable id, used by `--only`. */
  id: string;
  title: string;
  /** Which Redis server the contenders use. */
  server: 'none' | 'plain' | 'tls';
  mode: Mode;
  floor: Floor | null;
  columns: ColumnId[];
  /** Overrides the @cache column's variant (the plain-logger row). */
  cacheVariant?: AdapterSetup['variant'];
  operation: Job['operation'];
  metric: Job['metric'];
  clock: Job['clock'];
  keys: number;
  inFlight: number;
  batch: number;
  callers: number;
  factoryMs: number;
  /** Processes per contender (2 for the cross-process stampede). */
  processes: number;
  /** In-process entries every contender must hold without evicting. */
  capacity: number;
}

const LRU: Floor = { lib: 'lru-cache', mode: 'memory', label: 'lru-cache' };
const IOREDIS: Floor = { lib: 'ioredis', mode: 'redis', label: 'raw ioredis' };
const IOREDIS_TLS: Floor = { lib: 'ioredis', mode: 'redis', label: 'raw ioredis over TLS' };
const PEERS: ColumnId[] = ['@cache', 'bentocache', 'cache-manager', 'cacheable'];
const REDIS_ALL: ColumnId[] = ['@cache', '@cache-unencrypted', 'bentocache', 'cache-manager', 'cacheable', 'node-redis'];

const base = {
  server: 'none',
  mode: 'memory',
  floor: LRU,
  columns: PEERS,
  operation: 'get',
  metric: 'ops',
  clock: 'cpu',
  keys: 10_000,
  inFlight: 1,
  batch: 100,
  callers: 100,
  factoryMs: 50,
  processes: 1,
  capacity: 20_000,
} as const satisfies Omit<Row, 'id' | 'title'>;

const redisBase = { ...base, server: 'plain', mode: 'redis', floor: IOREDIS, columns: REDIS_ALL, clock: 'wall', keys: 1000, capacity: 2000 } as const;
const tlsBase = { ...redisBase, server: 'tls', floor: IOREDIS_TLS } as const;
const stampedeBase = { ...base, operation: 'stampede', metric: 'calls', clock: 'wall', keys: 0 } as const;

export const ROWS: readonly Row[] = [
  { ...base, id: 'mem-get', title: 'memory get-hit, 10k keys' },
  { ...base, id: 'mem-get-sync', title: 'memory get-hit through the sync API (no await), 10k keys (lru-cache: `get`; @cache: `getSync`)', operation: 'getSync' },
  { ...base, id: 'mem-get-logger', title: 'memory get-hit, 10k keys, @cache with a plain logger object (`{debug(){},…}`)', columns: ['@cache'], cacheVariant: 'plain-logger' },
  { ...base, id: 'mem-set', title: 'memory set (overwrite), 10k keys', operation: 'set' },
  { ...base, id: 'mem-set-sync', title: 'memory set (overwrite) through the sync API (no await), 10k keys (lru-cache: `set`; @cache: `setSync`)', operation: 'setSync' },
  { ...base, id: 'mem-getorset-hit', title: 'memory getOrSet hit, 10k keys (lru-cache: `fetch`)', operation: 'getOrSetHit', floor: { ...LRU, label: 'lru-cache fetch' } },
  { ...base, id: 'mem-getmany', title: 'memory getMany, 100 of 10k keys per call (keys/s; lru-cache: 100 gets in one call)', operation: 'getMany' },
  { ...base, id: 'tier-get-l1', title: 'two-tier get, L1 hit, 1k keys', server: 'plain', mode: 'two-tier', floor: { ...LRU, label: 'lru-cache get' }, columns: ['@cache', '@cache-frozen', '@cache-unencrypted', 'bentocache', 'cache-manager', 'cacheable'], clock: 'wall', keys: 1000, capacity: 2000 },
  { ...base, id: 'tier-getorset-l1', title: 'two-tier getOrSet, L1 hit, 1k keys (lru-cache: `fetch`)', server: 'plain', mode: 'two-tier', operation: 'getOrSetHit', floor: { ...LRU, label: 'lru-cache fetch' }, columns: ['@cache', '@cache-frozen', 'bentocache', 'cache-manager', 'cacheable'], clock: 'wall', keys: 1000, capacity: 2000 },
  { ...redisBase, id: 'redis-get-1000', title: 'redis get, 1 000 in flight', inFlight: 1000 },
  { ...redisBase, id: 'redis-get-p50', title: 'redis get, 1 in flight, p50', metric: 'p50' },
  { ...redisBase, id: 'redis-set-p50', title: 'redis set, 1 in flight, p50', metric: 'p50', operation: 'set' },
  { ...redisBase, id: 'redis-getmany', title: 'redis getMany, 100 keys per call, 1 in flight (keys/s; raw: MGET)', operation: 'getMany' },
  { ...tlsBase, id: 'tls-get-1000', title: 'TLS redis get, 1 000 in flight', inFlight: 1000 },
  { ...tlsBase, id: 'tls-get-p50', title: 'TLS redis get, 1 in flight, p50', metric: 'p50' },
  { ...tlsBase, id: 'tls-set-p50', title: 'TLS redis set, 1 in flight, p50', metric: 'p50', operation: 'set' },
  { ...stampedeBase, id: 'stampede-memory', title: 'getOrSet stampede: factory calls, 100 concurrent callers on a cold key, in-process, memory (lru-cache: `fetch`)', floor: { ...LRU, label: 'lru-cache fetch' } },
  { ...stampedeBase, id: 'stampede-two-tier', title: 'getOrSet stampede: factory calls, 100 concurrent callers on a cold key, in-process, two-tier (Redis)', server: 'plain', mode: 'two-tier', floor: null, capacity: 2000 },
  { ...stampedeBase, id: 'stampede-2proc', title: 'getOrSet stampede: factory calls, 2 processes × 50 concurrent callers on a cold key, two-tier (Redis), 200 ms factory', server: 'plain', mode: 'two-tier', floor: null, callers: 50, factoryMs: 200, processes: 2, capacity: 2000 },
];
