// Part 1: the in-memory stack — a preset picks the settings, values are Fernet-encrypted at rest,
// and a performance monitor measures every lookup.
import { ValidationError, keyFingerprint, toCanonicalJson } from '@cache/core';
import { EncryptedCacheLayer } from '@cache/encryption';
import { InMemoryCache } from '@cache/memory';
import { CachePerformanceMonitor } from '@cache/monitoring';
import { EnvironmentPresets } from '@cache/presets';
import { createHash } from 'node:crypto';
import { QUESTIONS, summarize, type Answer } from './model.js';

/** Runs three rounds of the same questions through a cache-aside memory stack and prints what happened. */
export async function memoryDemo(): Promise<void> {
  const config = EnvironmentPresets.aiDevelopment();
  const cache = new InMemoryCache({ defaultTtl: Math.min(config.defaultTtl, 86_400), maxSize: config.memoryCacheSize });
  const encryption = EncryptedCacheLayer.createWithGeneratedKey();
  const monitor = new CachePerformanceMonitor();

  /** Cache-aside over encrypted entries: the key hashes the request, the value is a Fernet token. */
  async function cachedSummarize(text: string): Promise<Answer & { cached: boolean; ms: number }> {
    const started = performance.now();
    const key = `ai:summarize:${createHash('sha256').update(toCanonicalJson({ text, operation: 'summarize' })).digest('hex').slice(0, 32)}`;
    const token = await cache.get<Buffer>(key);
    const hit = token === null ? null : encryption.decryptCacheData<Answer>(token);
    monitor.recordCacheOperationTime('get', performance.now() - started, hit !== null, text.length);
    if (hit !== null) return { ...hit, cached: true, ms: performance.now() - started };

    const answer = await summarize(text);
    await cache.set(key, encryption.encryptCacheData(answer), config.ai?.operationTtls['summarize'] ?? 3600);
    const ms = performance.now() - started;
    console.log(`  stored ${keyFingerprint(key)} (encrypted, ${cache.getStats().activeEntries} entries)`);
    return { ...answer, cached: false, ms };
  }

  console.log(`== in-memory stack: preset "${config.presetName}" (${config.strategy}), default TTL ${config.defaultTtl}s, L1 ${config.memoryCacheSize} entries\n`);
  for (const round of [1, 2, 3]) {
    console.log(`round ${round}`);
    for (const text of QUESTIONS) {
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
  console.log(`\nhit rate ${(monitor.getHitRate() * 100).toFixed(1)}% over ${monitor.totalOperations} lookups`);
  console.log('cache lookups (monitor):', JSON.stringify(stats.cacheOperations ?? stats));
  console.log('memory cache:', JSON.stringify(cache.getStats()));
  console.log('encryption:', JSON.stringify(encryption.getPerformanceStats()));
}
