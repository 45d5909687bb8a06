// Demo: cache "LLM" answers with the in-memory stack — a preset picks the settings, values are
// Fernet-encrypted at rest, and a performance monitor measures every lookup.
import { ValidationError, keyFingerprint, toCanonicalJson } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { InMemoryCache } from '@cache/memory';
import { CachePerformanceMonitor } from '@cache/monitoring';
import { EnvironmentPresets } from '@cache/presets';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const config = EnvironmentPresets.aiDevelopment();
const cache = new InMemoryCache({ defaultTtl: Math.min(config.defaultTtl, 86_400), maxSize: config.memoryCacheSize });
const encryption = EncryptedCacheLayer.createWithGeneratedKey();
const monitor = new CachePerformanceMonitor();

/** A stand-in for a slow model call. */
async function summarize(text: string): Promise<{ summary: string; model: string }> {
  await sleep(150);
  return { summary: `${text.split(' ').slice(0, 6).join(' ')}…`, model: 'demo-llm-1' };
}

/** Cache-aside over encrypted entries: the key hashes the request, the value is a Fernet token. */
async function cachedSummarize(text: string): Promise<{ summary: string; model: string; cached: boolean; ms: number }> {
  const started = performance.now();
  const key = `ai:summarize:${createHash('sha256').update(toCanonicalJson({ text, operation: 'summarize' })).digest('hex').slice(0, 32)}`;
  const token = await cache.get<Buffer>(key);
  const hit = token === null ? null : encryption.decryptCacheData<{ summary: string; model: string }>(token);
  monitor.recordCacheOperationTime('get', performance.now() - started, hit !== null, text.length);
  if (hit !== null) return { ...hit, cached: true, ms: performance.now() - started };

  const answer = await summarize(text);
  await cache.set(key, encryption.encryptCacheData(answer), config.ai?.operationTtls['summarize'] ?? 3600);
  const ms = performance.now() - started;
  console.log(`  stored ${keyFingerprint(key)} (encrypted, ${cache.getStats().activeEntries} entries)`);
  return { ...answer, cached: false, ms };
}

console.log(`@cache demo — preset "${config.presetName}" (${config.strategy}), default TTL ${config.defaultTtl}s, L1 ${config.memoryCacheSize} entries\n`);
const texts = [
  'Caching model answers saves latency and money when the same question comes back again and again.',
  'Redis with TLS and ACL users keeps a shared cache safe across many service instances.',
];
for (const round of [1, 2, 3]) {
  console.log(`round ${round}`);
  for (const text of texts) {
    const r = await cachedSummarize(text);
    console.log(`  ${r.cached ? 'HIT ' : 'MISS'} ${r.ms.toFixed(2).padStart(7)} ms  ${r.summary}`);
  }
}

try {
  await cache.set('ai:bad', 'value', 0);
} catch (error) {
  if (error instanceof ValidationError) console.log(`\nrejected bad input: ${error.code} — ${error.message}`);
}

const stats = monitor.getPerformanceStats();
console.log(`\nhit rate ${monitor.getHitRate().toFixed(1)}% over ${monitor.totalOperations} lookups`);
console.log('cache lookups (monitor):', JSON.stringify(stats.cacheOperations ?? stats));
console.log('memory cache:', JSON.stringify(cache.getStats()));
console.log('encryption:', JSON.stringify(encryption.getPerformanceStats()));
