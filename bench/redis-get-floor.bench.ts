// Where the time of a @cache/redis get goes with 1 000 requests in flight, layer by layer, against
// the physical floor: raw ioredis GET + JSON.parse (the peer benchmark's floor), then the same GET
// plus exactly the work the envelope needs (SHA-256 key digest, Fernet verify + decrypt of the raw
// token), then GenericRedisCache.get unencrypted and encrypted, and encrypted of a version-2 value
// (base64 token, as the previous release wrote it). Same server, same 1 KB JSON value (the peer
// benchmark's), rounds alternate the order; wall time, and this process' CPU time per get.
// Run: cd bench && node run.mjs redis-get-floor   (build first: pnpm exec turbo run build --filter=@cache/redis...)
// Profile one contender: BENCH_ONLY='@cache get' node --import tsx --cpu-prof redis-get-floor.bench.ts
// Env: BENCH_TIME_MS (per cell, default 1000), BENCH_ROUNDS (default 5), BENCH_ONLY (one row),
// BENCH_COMPRESSION_THRESHOLD (the caches' compressionThreshold; default theirs), BENCH_TLS=1 (a
// TLS-only server, certificates verified, for every contender).
import { createHash } from 'node:crypto';
import { silentLogger } from '@cache/core';
import { EncryptedCacheLayer, Fernet, generateFernetKey } from '@cache/encryption';
import { GenericRedisCache } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { version2Envelope } from '../packages/redis/test/version-2-envelope.js';
import { makeValue } from './peers/values.js';
import { median } from './sample-values.js';

const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 1000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const ONLY = process.env['BENCH_ONLY'];
const THRESHOLD = process.env['BENCH_COMPRESSION_THRESHOLD'];
const TLS = process.env['BENCH_TLS'] === '1';
const IN_FLIGHT = 1000;
const PASSWORD = 'bench-password-123';
const env = { NODE_ENV: 'test' };
const value = makeValue(1);
const json = JSON.stringify(value);

const server = await startRedis({ password: PASSWORD, tls: TLS });
const tls = server.tls;
const key = generateFernetKey();
const fernet = new Fernet(key);
const layer = new EncryptedCacheLayer({ encryptionKey: key, logger: silentLogger, performanceMonitoring: false });
const makeCache = (encrypted: boolean) =>
  new GenericRedisCache({
    redisUrl: server.url(),
    securityConfig: new SecurityConfig(
      tls ? { useTls: true, verifyCertificates: true, tlsCaPath: tls.caPath, redisAuth: PASSWORD } : { useTls: false, redisAuth: PASSWORD },
      { env, logger: silentLogger },
    ),
    ...(encrypted ? { encryption: layer } : { allowUnencrypted: true }),
    env,
    logger: silentLogger,
    keyPrefix: 'floor:',
    enableL1Cache: false,
    ...(THRESHOLD === undefined ? {} : { compressionThreshold: Number(THRESHOLD) }),
  });
const cache = makeCache(true);
const plainCache = makeCache(false);
const raw = new Redis(server.url(), { password: PASSWORD, lazyConnect: true, ...(tls ? { tls: { ca: tls.ca } } : {}) });
await Promise.all([cache.connect(), plainCache.connect(), raw.connect()]);
await cache.set('enc', value, 3600);
await plainCache.set('plain', value, 3600);
await raw.set('raw', json, 'EX', 3600);
// The envelope's work without the envelope: the raw Fernet token of the JSON, stored as is.
await raw.set('token', fernet.encryptRaw(json), 'EX', 3600);
// The same value as the previous release stored it: envelope version 2, base64 token (compressed iff ours is).
const compressed = ((await raw.getBuffer('floor:enc'))![4]! & 0x01) !== 0;
await raw.set('floor:enc-v2', version2Envelope(layer, 'floor:enc-v2', value, { expiresAt: Date.now() + 3_600_000 }, compressed), 'EX', 3600);

const digest = (k: string) => createHash('sha256').update(k, 'utf8').digest().subarray(0, 16);
const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) => i);
const contenders: Record<string, () => Promise<unknown>> = {
  'raw ioredis GET + JSON.parse (floor)': () => Promise.all(inFlight.map(async () => JSON.parse((await raw.get('raw'))!) as unknown)),
  'raw ioredis getBuffer + JSON.parse': () => Promise.all(inFlight.map(async () => JSON.parse((await raw.getBuffer('raw'))!.toString('utf8')) as unknown)),
  'raw getBuffer + SHA-256 + Fernet decryptRaw + JSON.parse': () =>
    Promise.all(inFlight.map(async () => (digest('floor:token'), JSON.parse(fernet.decryptRaw((await raw.getBuffer('token'))!).toString('utf8')) as unknown))),
  '@cache get, encryption opted out': () => Promise.all(inFlight.map(() => plainCache.get('plain'))),
  '@cache get': () => Promise.all(inFlight.map(() => cache.get('enc'))),
  '@cache get, version-2 value (base64 token)': () => Promise.all(inFlight.map(() => cache.get('enc-v2'))),
};
for (const [name, run] of Object.entries(contenders)) {
  const got = (await run()) as unknown[];
  if (JSON.stringify(got[0]) !== json) throw new Error(`${name} read back a different value`);
}

/** Gets per second of wall time, and µs of this process' CPU time per get (Redis runs in its own process). */
async function measure(run: () => Promise<unknown>): Promise<{ ops: number; cpuUs: number }> {
  const until = performance.now() + TIME_MS;
  let n = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() < until) {
    await run();
    n += IN_FLIGHT;
  }
  const used = process.cpuUsage(cpu);
  return { ops: n / ((performance.now() - start) / 1000), cpuUs: (used.user + used.system) / n };
}

const names = Object.keys(contenders).filter((n) => ONLY === undefined || n === ONLY);
const samples = new Map<string, number[]>();
const cpuSamples = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]!);
  for (const name of order) {
    await contenders[name]!(); // warm-up
    const { ops, cpuUs } = await measure(contenders[name]!);
    samples.set(name, [...(samples.get(name) ?? []), ops]);
    cpuSamples.set(name, [...(cpuSamples.get(name) ?? []), cpuUs]);
  }
}
const floor = median(samples.get(names[0]!) ?? []);
const stored = async (k: string): Promise<string> => `${await raw.strlen(k)} B (MEMORY USAGE ${String(await raw.call('MEMORY', 'USAGE', k))} B)`;
console.log(`stored encrypted value${compressed ? ' (compressed)' : ''}: version 3 ${await stored('floor:enc')}, version 2 ${await stored('floor:enc-v2')}`);
console.log(`1 KB value (${json.length} bytes of JSON), ${IN_FLIGHT} gets in flight, ${ROUNDS} rounds × ${TIME_MS} ms${TLS ? ', TLS' : ''}`);
console.log('CPU µs/get: this process only, best round (robust on a shared machine; wall-time figures are not).');
console.log('| contender | gets/s | × floor | CPU µs/get |');
console.log('|---|---|---|---|');
for (const name of names) {
  const ops = median(samples.get(name)!);
  const cpuUs = Math.min(...cpuSamples.get(name)!);
  console.log(`| ${name} | ${Math.round(ops).toLocaleString('en-US')} | ${(ops / floor).toFixed(2)}× | ${cpuUs.toFixed(1)} |`);
}
await Promise.all([cache.disconnect(), plainCache.disconnect()]);
raw.disconnect();
await server.stop();
