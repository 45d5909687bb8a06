// @cache/security vs raw ioredis (the peer: what a service does without the security layer), side by
// side in one run against a real TLS-only redis-server (ACL user, certificates generated now).
//   1. connection setup: raw `new Redis(rediss://…, { tls: { ca } })` + connect + PING + QUIT
//      vs RedisCacheSecurityManager.createSecureConnection (connect + PING + INFO) + QUIT
//   2. live validation on one open connection: raw PING + INFO server vs validateConnectionSecurity()
// Run: cd bench && node run.mjs security   (build first: pnpm --filter @cache/security build)
// Env: BENCH_TIME_MS (per task and round, default 400), BENCH_ROUNDS (default 9). Each round runs the
// two sides of a pair back to back (order alternating) so machine-load drift hits both; the ratio is
// the median of per-round ratios (ours / raw time).
import { readFileSync } from 'node:fs';
import { silentLogger } from '@cache/core';
import { startRedis } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { Bench } from 'tinybench';
import { RedisCacheSecurityManager, SecurityConfig, createIoredisConnector } from '@cache/security';

const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 400);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);
const USER = { name: 'bench-app', password: 'bench-app-acl-password' };

const server = await startRedis({ tls: true, password: 'bench-default-password', users: [USER] });
const certs = server.tls;
if (!certs) throw new Error('expected a TLS server');
const ca = readFileSync(certs.caPath);
const url = `redis://localhost:${server.port}`;
const config = new SecurityConfig(
  { aclUsername: USER.name, aclPassword: USER.password, tlsCaPath: certs.caPath, connectionTimeout: 5, socketTimeout: 5, maxRetries: 0 },
  { env: {}, logger: silentLogger },
);
const manager = new RedisCacheSecurityManager(config, { connector: createIoredisConnector(Redis), logger: silentLogger });

async function rawConnect(): Promise<void> {
  const client = new Redis(`rediss://localhost:${server.port}`, {
    username: USER.name,
    password: USER.password,
    tls: { ca },
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  client.on('error', () => undefined);
  await client.connect();
  await client.ping();
  await client.quit();
}

async function securedConnect(): Promise<void> {
  const client = await manager.createSecureConnection(url);
  await client.quit?.();
}

const shared = new Redis(`rediss://localhost:${server.port}`, { username: USER.name, password: USER.password, tls: { ca } });
const sharedSecured = await manager.createSecureConnection(url);

const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] as number;
const meanMs = (bench: Bench, name: string): number => {
  const result = bench.getTask(name)?.result;
  if (!result || !('latency' in result)) throw new Error(`task ${name} did not complete`);
  return result.latency.mean;
};

const pairs: [string, string, () => Promise<unknown>, () => Promise<unknown>][] = [
  ['TLS+ACL connection setup', 'raw ioredis connect+PING+QUIT', rawConnect, securedConnect],
  ['live validation (open connection)', 'raw PING + INFO server', async () => {
    await shared.ping();
    await shared.info('server');
  }, () => manager.validateConnectionSecurity(sharedSecured)],
];

const samples = new Map<string, { raw: number[]; ours: number[] }>(pairs.map(([label]) => [label, { raw: [], ours: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, , raw, ours] of pairs) {
    const bench = new Bench({ time: TIME_MS, warmupTime: 100, iterations: 8 });
    const sides: [string, () => Promise<unknown>][] = [
      [`${label} | raw`, raw],
      [`${label} | @cache/security`, ours],
    ];
    for (const [name, fn] of round % 2 === 0 ? sides : sides.reverse()) bench.add(name, fn);
    await bench.run();
    const s = samples.get(label);
    s?.raw.push(meanMs(bench, `${label} | raw`));
    s?.ours.push(meanMs(bench, `${label} | @cache/security`));
  }
}

console.log(`\n@cache/security vs raw ioredis on a real TLS redis-server, medians of ${ROUNDS} rounds (ratio = ours / raw time)`);
console.log('scenario | raw | ms/op | @cache/security | ms/op | ratio');
for (const [label, rawName] of pairs) {
  const s = samples.get(label) as { raw: number[]; ours: number[] };
  const ratio = median(s.ours.map((o, i) => o / (s.raw[i] as number)));
  const ourName = label.startsWith('TLS') ? 'createSecureConnection+QUIT' : 'validateConnectionSecurity';
  console.log(`${label} | ${rawName} | ${median(s.raw).toFixed(3)} | ${ourName} | ${median(s.ours).toFixed(3)} | ${ratio.toFixed(2)}x`);
}

await shared.quit();
await sharedSecured.quit?.();
await server.stop();
