/** What `EncryptedCacheLayer.getPerformanceStats()` returns; all times in milliseconds. */
export type EncryptionPerformanceStats =
  | {
      performanceMonitoring: true;
      encryptionEnabled: boolean;
      encryptionOperations: number;
      decryptionOperations: number;
      totalOperations: number;
      totalEncryptionTimeMs: number;
      totalDecryptionTimeMs: number;
      avgEncryptionTimeMs: number;
      avgDecryptionTimeMs: number;
    }
  | { performanceMonitoring: false; error: 'Performance monitoring is disabled' };

/** Running totals of successful encrypt/decrypt calls (internal to the layer). */
export class PerformanceAccumulator {
  encryptionOperations = 0;
  decryptionOperations = 0;
  totalEncryptionTimeMs = 0;
  totalDecryptionTimeMs = 0;

  /** Adds one successful encryption of `elapsedMs`. */
  addEncryption(elapsedMs: number): void {
    this.encryptionOperations++;
    this.totalEncryptionTimeMs += elapsedMs;
  }

  /** Adds one successful decryption of `elapsedMs`. */
  addDecryption(elapsedMs: number): void {
    this.decryptionOperations++;
    this.totalDecryptionTimeMs += elapsedMs;
  }

  /** Zeroes the four accumulators. */
  reset(): void {
    this.encryptionOperations = 0;
    this.decryptionOperations = 0;
    this.totalEncryptionTimeMs = 0;
    this.totalDecryptionTimeMs = 0;
  }

  /** A fresh snapshot with totals and averages (0 when there was no operation). */
  snapshot(encryptionEnabled: boolean): EncryptionPerformanceStats {
    const enc = this.encryptionOperations;
    const dec = this.decryptionOperations;
    return {
      performanceMonitoring: true,
      encryptionEnabled,
      encryptionOperations: enc,
      decryptionOperations: dec,
      totalOperations: enc + dec,
      totalEncryptionTimeMs: this.totalEncryptionTimeMs,
      totalDecryptionTimeMs: this.totalDecryptionTimeMs,
      avgEncryptionTimeMs: enc === 0 ? 0 : this.totalEncryptionTimeMs / enc,
      avgDecryptionTimeMs: dec === 0 ? 0 : this.totalDecryptionTimeMs / dec,
    };
  }
}

/** Elapsed milliseconds since a `process.hrtime.bigint()` reading, fractional. */
export function elapsedMsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
