// CPU µs per get and per set of two builds of @cache/redis in one process (1 000 in flight, 1 KB value,
// L1 off, unencrypted and encrypted), rounds alternating A and B; prints min, median and the median of
// the paired per-round differences. Save a build first, e.g. `cp packages/redis/dist/index.js
// packages/redis/dist/base.js` (same folder, so it resolves the same dependencies), rebuild, then
// `cd bench && A=../packages/redis/dist/base.js B=../packages/redis/dist/index.js node --import tsx ab-builds.ts`.
// Sets vary by ±1–2 µs from run to run on a shared VM (a build against a copy of itself: paired
// median 0.1 µs per get, 0.7 per set): run both orders (swap A and B) and average. Env: BENCH_TLS=1, ROUNDS (10), TIME_MS (400), OPS (get,set), ENC (0,1),
// A_ENV / B_ENV (an environment variable set while that variant's caches are built).
import { silentLogger } from '@cache/core';
import { EncryptedCacheLayer, generateFernetKey } from '@cache/encryption';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { makeValue } from './peers/values.js';

const TLS = process.env['BENCH_TLS'] === '1';
const ROUNDS = Number(process.env['ROUNDS'] ?? 10);
const TIME_MS = Number(process.env['TIME_MS'] ?? 400);
const OPS = (process.env['OPS'] ?? 'get,set').split(',');
const ENC = (process.env['ENC'] ?? '0,1').split(',').map((x) => x === '1');
const A = process.env['A'] ?? '../packages/redis/dist/base.js';
const B = process.env['B'] ?? '../packages/redis/dist/index.js';
const PASSWORD = 'bench-password-123';
const env = { NODE_ENV: 'test' };
const value = makeValue(1);
const server = await startRedis({ password: PASSWORD, tls: TLS });
const tls = server.tls;
const key = generateFernetKey();
const layer = new EncryptedCacheLayer({ encryptionKey: key, logger: silentLogger, performanceMonitoring: false });
type Cache = { connect(): Promise<unknown>; get(k: string): Promise<unknown>; set(k: string, v: unknown, t: number): Promise<unknown>; disconnect(): Promise<void> };
const mk = async (path: string, encrypted: boolean, envFlag: string | undefined): Promise<Cache> => {
  const mod = (await import(path)) as { GenericRedisCache: new (o: unknown) => Cache };
  if (envFlag) process.env[envFlag] = '1';
  const c = new mod.GenericRedisCache({
    redisUrl: server.url(),
    securityConfig: new SecurityConfig(tls ? { useTls: true, verifyCertificates: true, tlsCaPath: tls.caPath, redisAuth: PASSWORD } : { useTls: false, redisAuth: PASSWORD }, { env, logger: silentLogger }),
    ...(encrypted ? { encryption: layer } : { allowUnencrypted: true }),
    env, logger: silentLogger, keyPrefix: `ab${encrypted ? 'e' : 'p'}:`, enableL1Cache: false,
  });
  await c.connect();
  if (envFlag) delete process.env[envFlag];
  return c;
};
const variants: Record<string, Record<string, Cache>> = {};
for (const [name, path, flag] of [['A', A, process.env['A_ENV']], ['B', B, process.env['B_ENV']]] as const) {
  variants[name] = {};
  for (const e of ENC) variants[name]![String(e)] = await mk(path, e, flag);
}
const inFlight = Array.from({ length: 1000 }, (_, i) => i);
for (const e of ENC) await variants['A']![String(e)]!.set('k', value, 3600);
const runs: Record<string, (c: Cache) => Promise<unknown>> = {
  get: (c) => Promise.all(inFlight.map(() => c.get('k'))),
  set: (c) => Promise.all(inFlight.map((i) => c.set(`s${i % 50}`, value, 3600))),
};
const res = new Map<string, number[]>();
for (let r = 0; r < ROUNDS; r++) {
  for (const op of OPS) for (const e of ENC) for (const v of r % 2 ? ['A', 'B'] : ['B', 'A']) {
    const c = variants[v]![String(e)]!; const run = runs[op]!;
    await run(c);
    const until = performance.now() + TIME_MS; let n = 0; const cpu = process.cpuUsage();
    while (performance.now() < until) { await run(c); n += 1000; }
    const u = process.cpuUsage(cpu);
    const id = `${op} ${e ? 'enc' : 'unenc'} ${v}`;
    res.set(id, [...(res.get(id) ?? []), (u.user + u.system) / n]);
  }
}
const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
console.log(`${TLS ? 'TLS' : 'plain'} rounds=${ROUNDS} A=${A}${process.env['A_ENV'] ? `+${process.env['A_ENV']}` : ''} B=${B}${process.env['B_ENV'] ? `+${process.env['B_ENV']}` : ''}`);
for (const op of OPS) for (const e of ENC) {
  const a = res.get(`${op} ${e ? 'enc' : 'unenc'} A`)!; const b = res.get(`${op} ${e ? 'enc' : 'unenc'} B`)!;
  const paired = a.map((x, i) => b[i]! - x);
  console.log(`${op} ${e ? 'enc  ' : 'unenc'}: A min ${Math.min(...a).toFixed(2)} med ${med(a).toFixed(2)} | B min ${Math.min(...b).toFixed(2)} med ${med(b).toFixed(2)} | paired B-A median ${med(paired).toFixed(2)}`);
}
for (const v of Object.values(variants)) for (const c of Object.values(v)) await c.disconnect();
await server.stop();
