import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedCacheLayer, generateFernetKey, type EncryptedCacheLayerOptions } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function make(options: Partial<EncryptedCacheLayerOptions> = {}) {
  const logger = recordingLogger();
  const layer = new EncryptedCacheLayer({ encryptionKey: generateFernetKey(), logger, ...options });
  logger.lines.length = 0;
  return { layer, logger };
}

type On = Extract<ReturnType<EncryptedCacheLayer['getPerformanceStats']>, { performanceMonitoring: true }>;
const stats = (layer: EncryptedCacheLayer) => layer.getPerformanceStats() as On;

describe('performance statistics', () => {
  it('start at zero, with encryptionEnabled mirroring isEnabled', () => {
    expect(make().layer.getPerformanceStats()).toEqual({
      performanceMonitoring: true,
      encryptionEnabled: true,
      encryptionOperations: 0,
      decryptionOperations: 0,
      totalOperations: 0,
      totalEncryptionTimeMs: 0,
      totalDecryptionTimeMs: 0,
      avgEncryptionTimeMs: 0,
      avgDecryptionTimeMs: 0,
    });
    const disabled = new EncryptedCacheLayer({ encryptionKey: null, logger: recordingLogger() });
    expect(disabled.getPerformanceStats()).toMatchObject({ performanceMonitoring: true, encryptionEnabled: false });
  });

  it('count 5 encrypts and 3 decrypts exactly; totals > 0 ms; averages = total / count', () => {
    const { layer } = make();
    const tokens = Array.from({ length: 5 }, (_, i) => layer.encryptCacheData({ i, text: 'x'.repeat(500) }));
    for (const token of tokens.slice(0, 3)) layer.decryptCacheData(token);
    const s = stats(layer);
    expect(s).toMatchObject({ encryptionOperations: 5, decryptionOperations: 3, totalOperations: 8 });
    expect(s.totalEncryptionTimeMs).toBeGreaterThan(0);
    expect(s.totalDecryptionTimeMs).toBeGreaterThan(0);
    expect(Math.abs(s.avgEncryptionTimeMs - s.totalEncryptionTimeMs / 5)).toBeLessThan(1e-9);
    expect(Math.abs(s.avgDecryptionTimeMs - s.totalDecryptionTimeMs / 3)).toBeLessThan(1e-9);
    layer.encryptCacheData({ more: true });
    expect(stats(layer).totalEncryptionTimeMs).toBeGreaterThan(s.totalEncryptionTimeMs);
  });

  it('measure in ms from a high-resolution clock (injected fake process.hrtime.bigint)', () => {
    const { layer } = make();
    let now = 1_000_000_000n;
    vi.spyOn(process.hrtime, 'bigint').mockImplementation(() => (now += 2_500_000n)); // each read: +2.5 ms
    layer.encryptCacheData({ a: 1 });
    layer.encryptBytes(Buffer.from('b'));
    expect(stats(layer)).toMatchObject({ encryptionOperations: 2, totalEncryptionTimeMs: 5, avgEncryptionTimeMs: 2.5 });
  });

  it('slow-operation warnings (injected fake process.hrtime.bigint): above the threshold warns once with duration and size', () => {
    const { layer, logger } = make({ slowEncryptWarnMs: 50, slowDecryptWarnMs: 30 });
    let step = 0n;
    let now = 0n;
    vi.spyOn(process.hrtime, 'bigint').mockImplementation(() => (now += step));
    step = 50_000_000n; // exactly 50 ms: not above the limit
    const token = layer.encryptCacheData({ a: 1 });
    step = 30_000_000n;
    layer.decryptCacheData(token);
    expect(logger.at('warn')).toHaveLength(0);
    step = 51_000_000n;
    layer.encryptCacheData({ a: 1 });
    step = 31_000_000n;
    layer.decryptCacheData(token);
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]?.message).toMatch(/Slow cache encryption: 51\.000 ms for 7 bytes/);
    expect(warnings[1]?.message).toMatch(new RegExp(`Slow cache decryption: 31\\.000 ms for ${token.length} bytes`));
  });

  it('thresholds of 0 make every real operation warn', () => {
    const { layer, logger } = make({ slowEncryptWarnMs: 0, slowDecryptWarnMs: 0 });
    layer.decryptCacheData(layer.encryptCacheData({ a: 1 }));
    expect(logger.at('warn').map((l) => l.message)).toEqual([expect.stringMatching(/encryption/), expect.stringMatching(/decryption/)]);
  });

  it('monitoring off: no timing at all and an error object from getPerformanceStats', () => {
    const { layer } = make({ performanceMonitoring: false, slowEncryptWarnMs: 0 });
    const hrtime = vi.spyOn(process.hrtime, 'bigint');
    layer.decryptCacheData(layer.encryptCacheData({ a: 1 }));
    layer.decryptBytes(layer.encryptBytes(Buffer.from('x')));
    expect(hrtime).not.toHaveBeenCalled();
    expect(layer.getPerformanceStats()).toEqual({ performanceMonitoring: false, error: 'Performance monitoring is disabled' });
  });

  it('reset zeroes the accumulators, logs one info line, is idempotent, and later operations count from zero', () => {
    const { layer, logger } = make();
    const token = layer.encryptCacheData({ a: 1 });
    layer.encryptCacheData({ b: 2 });
    layer.decryptCacheData(token);
    layer.resetPerformanceStats();
    expect(logger.at('info')).toHaveLength(1);
    expect(logger.at('info')[0]?.message).toMatch(/statistics reset/i);
    const zero = layer.getPerformanceStats();
    layer.resetPerformanceStats();
    expect(layer.getPerformanceStats()).toEqual(zero);
    expect(zero).toMatchObject({ encryptionOperations: 0, decryptionOperations: 0, totalEncryptionTimeMs: 0, totalDecryptionTimeMs: 0 });
    layer.encryptCacheData({ a: 1 });
    layer.encryptCacheData({ a: 2 });
    layer.encryptBytes(Buffer.from('3'));
    for (let i = 0; i < 4; i++) layer.decryptCacheData(token);
    expect(layer.getPerformanceStats()).toMatchObject({ encryptionOperations: 3, decryptionOperations: 4, totalOperations: 7 });
  });

  it('reset never throws, even when the logger throws', () => {
    const logger = recordingLogger();
    const layer = new EncryptedCacheLayer({ encryptionKey: generateFernetKey(), logger });
    layer.encryptCacheData({ a: 1 });
    logger.info = () => {
      throw new Error('logger down');
    };
    expect(() => layer.resetPerformanceStats()).not.toThrow();
    expect(layer.getPerformanceStats()).toMatchObject({ encryptionOperations: 0 });
  });

  it('reset never throws with monitoring off', () => {
    const { layer } = make({ performanceMonitoring: false });
    expect(() => layer.resetPerformanceStats()).not.toThrow();
    expect(() => layer.resetPerformanceStats()).not.toThrow();
    expect(layer.getPerformanceStats()).toEqual({ performanceMonitoring: false, error: 'Performance monitoring is disabled' });
  });
});
