import { GenericRedisCache } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { silentLogger } from '@cache/core';
import { LRUCache } from 'lru-cache';
import { makeKeys, makeValues } from './peers/values.js';
const env = { NODE_ENV: 'test' };
const securityConfig = new SecurityConfig({ useTls: false }, { env, logger: silentLogger });
const keys = makeKeys(1000), values = makeValues(1000);
const l = new LRUCache<string, object>({ max: 2000, ttl: 3600_000 });
for (let i = 0; i < 1000; i++) l.set(keys[i]!, values[i]!);
async function run(fn: (i: number) => Promise<unknown>, ms = 500) { let n = 0; const end = performance.now() + ms; const t0 = performance.now(); while (performance.now() < end) { for (let j = 0; j < 1000; j++) await fn(j); n += 1000; } return n / ((performance.now() - t0) / 1000); }
for (const mode of ['frozen', 'copy'] as const) {
  const c = new GenericRedisCache({ redisUrl: 'redis://localhost:6399', securityConfig, allowUnencrypted: true, env, logger: silentLogger, l1CacheSize: 2000, l1Values: mode });
  await c.connect();
  for (let i = 0; i < 1000; i++) await c.set(keys[i]!, values[i]!, 3600);
  for (let r = 0; r < 2; r++) {
    const lr = await run(async (i) => l.get(keys[i]!));
    const cr = await run((i) => c.get(keys[i]!));
    if (r) console.log(mode, 'lru', (lr / 1e6).toFixed(2), 'cache', (cr / 1e6).toFixed(2), 'M/s ratio', (cr / lr).toFixed(2), JSON.stringify({l1: c.getStats().hitsL1, r: c.getStats().hitsRedis, m: c.getStats().misses}));
  }
  await c.disconnect();
}
