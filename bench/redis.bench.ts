// @cache/redis GenericRedisCache vs raw ioredis 6, side by side in one run, same server, same 1 KB JSON value.
// Run: cd bench && node run.mjs redis   (build first: pnpm --filter @cache/redis... build)
// Latency tasks run one request in flight (p50 compared); throughput tasks run 1 000 requests in
// flight per iteration (ops/s = 1000 / mean iteration time). Rounds alternate the contenders.
import { jsonCodec, silentLogger } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { GenericRedisCache, ValueEnvelope } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { ROUNDS, TIME_MS, fmt, measureRounds as measure, printTable } from './rounds.js';

const IN_FLIGHT = 1000;
const PASSWORD = 'bench-password-123';
const env = { NODE_ENV: 'test' };

const value1k = {
  id: 'user:42',
  name: 'Zoë Example',
  tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`),
  text: 'lorem ipsum dolor sit amet '.repeat(28),
};
const json1k = JSON.stringify(value1k);
const value100k = { rows: Array.from({ length: 1000 }, (_, i) => ({ i, name: `row-${i}`, text: 'x'.repeat(60) })) };

const server = await startRedis({ password: PASSWORD });
const encryption = EncryptedCacheLayer.createWithGeneratedKey({ logger: silentLogger, performanceMonitoring: false });
const makeCache = (enableL1Cache: boolean, encrypted = true) =>
  new GenericRedisCache({
    redisUrl: server.url(),
    securityConfig: new SecurityConfig({ useTls: false, redisAuth: PASSWORD }, { env, logger: silentLogger }),
    ...(encrypted ? { encryption } : { allowUnencrypted: true }),
    env,
    logger: silentLogger,
    keyPrefix: 'bench:',
    enableL1Cache,
  });
const cache = makeCache(false);
const l1Cache = makeCache(true);
// The same cache with the encryption opt-out: separates the cost of Fernet from the cache's own.
const plainCache = makeCache(false, false);
const raw = new Redis({ host: server.host, port: server.port, password: PASSWORD, enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
await Promise.all([cache.connect(), l1Cache.connect(), plainCache.connect(), raw.connect()]);

console.log(`1 KB value: ${json1k.length} bytes of JSON`);
await cache.set('v1k', value1k);
await plainCache.set('plain1k', value1k);
await l1Cache.set('hot', value1k);
await raw.set('raw:v1k', json1k);

const rows: Array<[string, string, string]> = [];

// 1. L2 get, L1 disabled, one request in flight: p50 vs raw GET of the stored bytes.
const getOne = await measure({
  'raw ioredis getBuffer (stored envelope)': () => raw.getBuffer('bench:v1k'),
  'GenericRedisCache.get (L1 off)': () => cache.get('v1k'),
});
const rawGet = getOne['raw ioredis getBuffer (stored envelope)']!.p50Us;
const ourGet = getOne['GenericRedisCache.get (L1 off)']!.p50Us;
rows.push(['L2 get p50, 1 in flight', `${fmt(ourGet)} µs vs ${fmt(rawGet)} µs`, `${fmt(ourGet / rawGet, 2)}× (target ≤ 1.20×)`]);

// 2. L2 get, 1 000 in flight: throughput.
const keysInFlight = Array.from({ length: IN_FLIGHT }, () => 'v1k');
const getMany = await measure({
  'raw ioredis getBuffer ×1000': () => Promise.all(keysInFlight.map((k) => raw.getBuffer(`bench:${k}`))),
  'GenericRedisCache.get ×1000 (L1 off)': () => Promise.all(keysInFlight.map((k) => cache.get(k))),
});
const rawTput = getMany['raw ioredis getBuffer ×1000']!.opsPerSec * IN_FLIGHT;
const ourTput = getMany['GenericRedisCache.get ×1000 (L1 off)']!.opsPerSec * IN_FLIGHT;
rows.push(['L2 get throughput, 1000 in flight', `${fmt(ourTput, 0)} vs ${fmt(rawTput, 0)} ops/s`, `${fmt(ourTput / rawTput, 2)}× (target ≥ 0.80×)`]);
const plainKeys = Array.from({ length: IN_FLIGHT }, () => 'plain1k');
const getManyPlain = await measure({
  'raw ioredis getBuffer ×1000': () => Promise.all(plainKeys.map((k) => raw.getBuffer(`bench:${k}`))),
  'GenericRedisCache.get ×1000 (L1 off, unencrypted)': () => Promise.all(plainKeys.map((k) => plainCache.get(k))),
});
const rawPlainTput = getManyPlain['raw ioredis getBuffer ×1000']!.opsPerSec * IN_FLIGHT;
const plainTput = getManyPlain['GenericRedisCache.get ×1000 (L1 off, unencrypted)']!.opsPerSec * IN_FLIGHT;
rows.push(['  same, encryption opted out', `${fmt(plainTput, 0)} vs ${fmt(rawPlainTput, 0)} ops/s`, `${fmt(plainTput / rawPlainTput, 2)}× (cache cost without Fernet)`]);

// 3. set, one request in flight: p50 vs raw SET of the JSON.
const setOne = await measure({
  'raw ioredis set (JSON, EX)': () => raw.set('raw:v1k', JSON.stringify(value1k), 'EX', 3600),
  'GenericRedisCache.set (L1 off)': () => cache.set('v1k', value1k),
});
const rawSet = setOne['raw ioredis set (JSON, EX)']!.p50Us;
const ourSet = setOne['GenericRedisCache.set (L1 off)']!.p50Us;
rows.push(['set p50, 1 in flight', `${fmt(ourSet)} µs vs ${fmt(rawSet)} µs`, `${fmt(ourSet / rawSet, 2)}× (target ≤ 1.30×)`]);

// 4. L1-hit get.
const l1 = await measure({ 'GenericRedisCache.get (L1 hit)': () => l1Cache.get('hot') });
rows.push(['L1-hit get', `${fmt(l1['GenericRedisCache.get (L1 hit)']!.opsPerSec, 0)} ops/s`, '(report only)']);

// 5. Envelope encode/decode cost.
const envelope = new ValueEnvelope({ codec: jsonCodec, encryption, compressionThreshold: 1000, compressionLevel: 6, maxValueBytes: 8 * 1024 * 1024 });
const enc1k = await envelope.encode('bench:v1k', value1k);
const enc100k = await envelope.encode('bench:v100k', value100k);
const env5 = await measure({
  'envelope encode 1 KB': () => envelope.encode('bench:v1k', value1k),
  'envelope decode 1 KB': () => envelope.decode('bench:v1k', enc1k.bytes),
  'envelope encode 100 KB': () => envelope.encode('bench:v100k', value100k),
  'envelope decode 100 KB': () => envelope.decode('bench:v100k', enc100k.bytes),
});
for (const [name, r] of Object.entries(env5)) rows.push([name, `${fmt(1e6 / r.opsPerSec)} µs/op (mean)`, `p50 ${fmt(r.p50Us)} µs`]);
console.log(`100 KB value: ${enc100k.rawBytes} bytes of JSON → ${enc100k.bytes.length} bytes stored (compressed: ${enc100k.compressed})`);

printTable(`@cache/redis vs raw ioredis (same server, ${ROUNDS} rounds × ${TIME_MS} ms, medians)`, rows);

await Promise.all([cache.disconnect(), l1Cache.disconnect(), plainCache.disconnect()]);
raw.disconnect();
await server.stop();
