// L1 coherence of @cache/redis: how soon instance B stops serving a value instance A replaced or
// removed (set, delete, invalidatePattern, clear), and what an L1 hit costs with Redis client
// tracking on versus off. Loopback, one redis-server, two caches with their own connections.
// Run: pnpm exec turbo run build --filter=@cache/redis... && cd bench && node run.mjs coherence
import { silentLogger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { GenericRedisCache } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { Bench } from 'tinybench';

const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 300);
const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 1000);
const PASSWORD = 'bench-password-123';
const env = { NODE_ENV: 'test' };

const server = await startRedis({ password: PASSWORD });
const encryption = EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger, performanceMonitoring: false });
const makeCache = (l1Coherence: 'tracking' | 'off', keyPrefix = 'coh:') =>
  new GenericRedisCache({
    redisUrl: server.url(),
    securityConfig: new SecurityConfig({ useTls: false, redisAuth: PASSWORD }, { env, logger: silentLogger }),
    encryption,
    env,
    logger: silentLogger,
    keyPrefix,
    l1Coherence,
  });

const a = makeCache('tracking');
const b = makeCache('tracking');
await Promise.all([a.connect(), b.connect()]);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** ms from the start of A's change until B's get no longer answers `old`. */
async function latency(change: (key: string) => Promise<unknown>): Promise<{ p50: number; p95: number; p99: number; max: number }> {
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const key = `user:${i % 50}`;
    await a.set(key, 'old');
    await b.get(key);
    if ((await b.get(key)) !== 'old' || b.getStats().l1.size === 0) throw new Error('B does not hold the key in L1');
    const started = performance.now();
    const changing = change(key);
    while ((await b.get(key)) === 'old') await yieldToLoop();
    samples.push(performance.now() - started);
    await changing;
  }
  samples.sort((x, y) => x - y);
  const r = (n: number) => Math.round(n * 100) / 100;
  return { p50: r(percentile(samples, 50)), p95: r(percentile(samples, 95)), p99: r(percentile(samples, 99)), max: r(samples.at(-1) ?? NaN) };
}

console.log(`invalidation latency A→B, ms, ${ITERATIONS} changes each (target p99 ≤ 50 ms):`);
const rows: Record<string, unknown> = {
  set: await latency((key) => a.set(key, 'new')),
  delete: await latency((key) => a.delete(key)),
  invalidatePattern: await latency((key) => a.invalidatePattern(key)),
  clear: await latency(() => a.clear()),
};
console.table(rows);
console.log('B coherence status:', b.getStats().l1Coherence);
await Promise.all([a.disconnect(), b.disconnect()]);

// L1 hit cost: the same hot key from L1, coherence on versus off.
const tracked = makeCache('tracking', 'hit:');
const untracked = makeCache('off', 'hit:');
await Promise.all([tracked.connect(), untracked.connect()]);
const value = { id: 42, name: 'hot', tags: ['a', 'b', 'c'] };
await tracked.set('hot', value);
await untracked.set('hot', value);
await tracked.get('hot');
await untracked.get('hot');
const bench = new Bench({ time: TIME_MS });
bench.add('L1 hit, tracking on', async () => {
  await tracked.get('hot');
});
bench.add('L1 hit, coherence off', async () => {
  await untracked.get('hot');
});
await bench.run();
console.table(
  bench.tasks.map((task) => {
    const result = task.result as { latency?: { p50?: number; mean?: number }; throughput?: { mean?: number } } | undefined;
    return { name: task.name, 'p50 µs': Math.round((result?.latency?.p50 ?? NaN) * 1000 * 100) / 100, 'ops/s': Math.round(result?.throughput?.mean ?? NaN) };
  }),
);
const hits = [tracked.getStats(), untracked.getStats()].map((s) => `${s.hitsL1}/${s.gets}`);
console.log(`L1 hits/gets: tracking ${hits[0]}, off ${hits[1]}`);
await Promise.all([tracked.disconnect(), untracked.disconnect()]);
await server.stop();
