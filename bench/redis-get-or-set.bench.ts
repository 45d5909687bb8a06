// @cache/redis getOrSet: the hit-path cost of getOrSet vs get (same cache, same 1 KB value), and
// factory calls per 100 concurrent callers on a cold key (one cache; two caches = two lease holders).
// Run: cd bench && node run.mjs redis-get-or-set   (build first: pnpm exec turbo run build --filter=@cache/redis...)
// Latency: one request in flight, p50 over BENCH_ROUNDS alternating rounds of BENCH_TIME_MS each.
import { silentLogger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { GenericRedisCache } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { fmt, measureRounds } from './rounds.js';

const env = { NODE_ENV: 'test' };
const value1k = { id: 'user:42', name: 'Zoë Example', tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`), text: 'lorem ipsum dolor sit amet '.repeat(28) };

const server = await startRedis();
const encryption = EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger, performanceMonitoring: false });
const makeCache = (enableL1Cache: boolean) =>
  new GenericRedisCache({
    redisUrl: server.url(),
    securityConfig: new SecurityConfig({ useTls: false }, { env, logger: silentLogger }),
    encryption,
    env,
    logger: silentLogger,
    keyPrefix: 'bench-gos:',
    enableL1Cache,
  });
const l2 = makeCache(false);
const twoTier = makeCache(true);
const second = makeCache(true);
await Promise.all([l2.connect(), twoTier.connect(), second.connect()]);
await l2.set('hot', value1k);
await twoTier.get('hot'); // promoted into L1
const factory = () => value1k;

const rows: string[] = [];
for (const [label, cache] of [['L1 hit (two-tier)', twoTier], ['Redis hit (L1 off)', l2]] as const) {
  const r = await measureRounds({ get: () => cache.get('hot'), getOrSet: () => cache.getOrSet('hot', factory) });
  const get = r['get']!.p50Us;
  const getOrSet = r['getOrSet']!.p50Us;
  rows.push(`| ${label} | ${fmt(get, 2)} µs | ${fmt(getOrSet, 2)} µs | ${fmt(getOrSet / get, 2)}× (target ≤ 1.10×) |`);
}

async function coldCallers(caches: GenericRedisCache[], key: string): Promise<number> {
  let calls = 0;
  const slow = async () => {
    calls++;
    await new Promise((resolve) => setTimeout(resolve, 100));
    return value1k;
  };
  await Promise.all(Array.from({ length: 100 }, (_, i) => caches[i % caches.length]!.getOrSet(key, slow)));
  return calls;
}
const oneCache = await coldCallers([twoTier], `cold-one-${Date.now()}`);
const twoCaches = await coldCallers([twoTier, second], `cold-two-${Date.now()}`);

console.log('| hit path | get p50 | getOrSet p50 | ratio |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`\nfactory calls per 100 concurrent callers on a cold key (100 ms factory): one cache ${oneCache}, two caches (lease) ${twoCaches}`);
await Promise.all([l2.disconnect(), twoTier.disconnect(), second.disconnect()]);
await server.stop();
