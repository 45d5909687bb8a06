// What one request at a time pays (the p50 rows of bench:peers) beyond the hot-loop cost of its
// steps: after every wait for Redis the CPU's caches no longer hold the code and data of the
// previous request. Part 1: sequential gets (raw ioredis GET + JSON.parse, @cache unencrypted,
// @cache with Fernet; L1 off), wall p50 and this process' CPU µs per get. Part 2: a Fernet decrypt
// and a JSON.parse of the same 1 KB value timed right after an await of a Redis GET ("cold") and
// again at once ("hot"). Same server, same value (the peer benchmark's), rounds alternate.
// Run: cd bench && BENCH_ROUNDS=5 node run.mjs cold-path   (build first: pnpm exec turbo run build --filter=@cache-bench/bench...)
// Env: BENCH_ROUNDS, BENCH_TIME_MS (rounds.ts), BENCH_OPS (cold/hot samples per round, default 3000).
import { silentLogger } from '@cache/core';
import { EncryptedCacheLayer, Fernet, generateFernetKey } from '@cache/encryption';
import { GenericRedisCache } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { makeValue } from './peers/values.js';
import { ROUNDS, measureSequential, median } from './rounds.js';

const OPS = Number(process.env['BENCH_OPS'] ?? 3000);
const PASSWORD = 'bench-password-123';
const env = { NODE_ENV: 'test' };
const value = makeValue(1);
const json = JSON.stringify(value);
const key = generateFernetKey();

const server = await startRedis({ password: PASSWORD });
const makeCache = (encrypted: boolean) =>
  new GenericRedisCache({
    redisUrl: server.url(),
    securityConfig: new SecurityConfig({ useTls: false, redisAuth: PASSWORD }, { env, logger: silentLogger }),
    ...(encrypted ? { encryption: new EncryptedCacheLayer({ encryptionKey: key, logger: silentLogger }) } : { allowUnencrypted: true }),
    env,
    logger: silentLogger,
    keyPrefix: 'cold:',
    enableL1Cache: false,
  });
const encrypted = makeCache(true);
const plain = makeCache(false);
const raw = new Redis(server.url(), { password: PASSWORD });
await Promise.all([encrypted.connect(), plain.connect()]);
await encrypted.set('enc', value, 3600);
await plain.set('plain', value, 3600);
await raw.set('raw', json, 'EX', 3600);

const contenders: Record<string, () => Promise<unknown>> = {
  'raw ioredis GET + JSON.parse': async () => JSON.parse((await raw.get('raw')) as string),
  '@cache get, encryption opted out': () => plain.get('plain'),
  '@cache get (Fernet)': () => encrypted.get('enc'),
};
const sequential = await measureSequential(contenders);
const fernet = new Fernet(key);
const token = Buffer.from(fernet.encrypt(json));
const steps = { 'Fernet decrypt, cold': [] as number[], 'Fernet decrypt, hot': [] as number[], 'JSON.parse, cold': [] as number[], 'JSON.parse, hot': [] as number[] };
const timed = (f: () => unknown): number => {
  const t = performance.now();
  f();
  return (performance.now() - t) * 1000;
};

for (let round = 0; round < ROUNDS; round++) {
  const cold = { decrypt: [] as number[], parse: [] as number[] };
  const hot = { decrypt: [] as number[], parse: [] as number[] };
  for (let i = 0; i < OPS; i++) {
    await raw.get('raw');
    cold.decrypt.push(timed(() => fernet.decrypt(token)));
    hot.decrypt.push(timed(() => fernet.decrypt(token)));
    await raw.get('raw');
    cold.parse.push(timed(() => JSON.parse(json)));
    hot.parse.push(timed(() => JSON.parse(json)));
  }
  steps['Fernet decrypt, cold'].push(median(cold.decrypt));
  steps['Fernet decrypt, hot'].push(median(hot.decrypt));
  steps['JSON.parse, cold'].push(median(cold.parse));
  steps['JSON.parse, hot'].push(median(hot.parse));
}

console.log(`1 KB value, one request at a time, median of ${ROUNDS} rounds`);
for (const [name, rounds] of Object.entries(sequential)) {
  const p50 = median(rounds.map((r) => r.p50Us));
  const cpu = median(rounds.map((r) => r.cpuUs));
  console.log(`${name.padEnd(36)} p50 ${p50.toFixed(1).padStart(7)} µs   CPU ${cpu.toFixed(1).padStart(7)} µs/get`);
}
for (const [name, samples] of Object.entries(steps)) console.log(`${name.padEnd(36)} p50 ${median(samples).toFixed(1).padStart(7)} µs`);
await Promise.all([encrypted.disconnect(), plain.disconnect()]);
raw.disconnect();
await server.stop();
