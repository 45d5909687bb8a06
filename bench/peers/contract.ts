// Types shared by the orchestrator (main.ts), the per-library child process (worker.ts) and the
// library adapters (adapters/*.ts).
import type { JsonObject } from './values.js';

/** Every entry is written with this TTL, by every contender (lru-cache included). */
export const TTL_SECONDS = 3600;
export const TTL_MS = TTL_SECONDS * 1000;

/** Where a contender keeps its data: in process, in Redis only, or in both (in-process L1 in front of Redis). */
export type Mode = 'memory' | 'redis' | 'two-tier';

/** A Redis server started by the benchmark. */
export interface RedisTarget {
  /** `redis://:pw@127.0.0.1:P` or `rediss://:pw@localhost:P`. */
  url: string;
  password: string;
  tls: boolean;
  /** PEM of the CA that signed the server certificate (TLS only): clients verify the server with it. */
  ca: string | null;
  /** Path of that CA file (for @cache's SecurityConfig). */
  caPath: string | null;
}

/** How one contender is built in its child process. */
export interface AdapterSetup {
  mode: Mode;
  /** @cache only: 'unencrypted' (allowUnencrypted) or 'plain-logger' (a plain logger object). */
  variant: 'default' | 'unencrypted' | 'plain-logger' | 'frozen-l1';
  redis: RedisTarget | null;
  /** Entries the in-process tier must hold without evicting (the working set fits). */
  capacity: number;
  /** True when several processes share the keys (the cross-process stampede row). */
  crossProcess: boolean;
  /** @cache only: the Fernet key of this run, the same in every process (processes of the cross-process row must read each other's values). */
  encryptionKey: string;
}

/** Why an operation is missing from a contender: printed in its cell. */
export type Missing = { missing: string };

/** One library configured for one row, behind the smallest possible wrapper. */
export interface Adapter {
  /** One line saying how the library is configured (goes into the report's header). */
  readonly config: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: JsonObject): Promise<unknown>;
  /** Values in the order of `keys` (misses as null/undefined). */
  getMany: ((keys: string[]) => Promise<unknown[]>) | Missing;
  getOrSet: ((key: string, factory: () => Promise<JsonObject>) => Promise<unknown>) | Missing;
  /** The library's synchronous get, called directly (no await), or why there is none. */
  getSync: ((key: string) => unknown) | Missing;
  /** The library's synchronous set (1 h TTL), called directly, or why there is none. */
  setSync: ((key: string, value: JsonObject) => unknown) | Missing;
  close(): Promise<void>;
}

/** Builds an adapter; each file in adapters/ exports one as `create`. */
export type CreateAdapter = (setup: AdapterSetup) => Promise<Adapter>;

/** `n/a (not implemented)`: for @cache methods other work is adding; the table fills itself once they land. */
export const NOT_IMPLEMENTED: Missing = { missing: 'n/a (not implemented)' };
/** For a library that has no such API at all. */
export const NO_SUCH_API: Missing = { missing: 'n/a (no such API)' };

/** The workload a row times. */
export type Operation =
  | 'get' // get hits
  | 'set' // overwrites
  | 'getSync' // get hits through the synchronous API
  | 'setSync' // overwrites through the synchronous API
  | 'getMany' // batches of `batch` keys
  | 'getOrSetHit' // getOrSet on present keys (the factory must never run)
  | 'stampede'; // factory calls for concurrent getOrSet callers on a cold key

/** What a child is asked to do; sent once, as its first IPC message. */
export interface Job {
  lib: LibId;
  setup: AdapterSetup;
  operation: Operation;
  /** Keys in the working set (prefilled and verified before timing). */
  keys: number;
  /** Requests in flight per iteration (1 = strictly sequential). */
  inFlight: number;
  /** Keys per getMany call. */
  batch: number;
  /** 'ops': throughput; 'p50': median latency of single requests; 'calls': factory calls. */
  metric: 'ops' | 'p50' | 'calls';
  /** Timing clock: this process's CPU time (pure in-process work) or wall time (anything with I/O). */
  clock: 'cpu' | 'wall';
  /** Concurrent getOrSet callers per process (stampede rows). */
  callers: number;
  /** How long the factory takes (stampede rows), ms. */
  factoryMs: number;
  /** Key prefix unique to this row and library. */
  prefix: string;
  warmupMs: number;
  /** And at least this many operations, so a contender with more code to compile gets as many warm-up calls as the others. */
  warmupOps: number;
}

/** Library ids: one adapter file each. */
export type LibId = 'lru-cache' | 'ioredis' | 'node-redis' | 'cache' | 'bentocache' | 'cache-manager' | 'cacheable';

/** Child → parent messages. */
export type WorkerMessage =
  | { type: 'ready'; config: string; readBack: string | null }
  | { type: 'unavailable'; reason: string; config: string }
  | {
      type: 'result';
      value: number;
      note: string | null;
      /** Wall-clock rows: this process's CPU time per operation over the same round, µs (null on CPU-timed and stampede rows). */
      cpuUsPerOp: number | null;
    }
  | { type: 'failed'; error: string };

/** Parent → child messages. */
export type ParentMessage = { type: 'job'; job: Job } | { type: 'measure'; timeMs: number; round: number } | { type: 'close' };
