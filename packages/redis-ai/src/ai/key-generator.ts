import { createHash } from 'node:crypto';
import {
  ConfigurationError,
  ValidationError,
  guardRecorderCall,
  logRecorderFailure,
  silentLogger,
  toCanonicalJson,
  type CacheMetricsRecorder,
  type KeyGenerator,
  type Logger,
} from '@cache/core';
import { AI_KEY_PREFIX, assertOperation, escapeKeyText } from './ai-key.js';
import { codePointLength, wordCount } from './text.js';

/** Digest used for hashed text: `sha256` (default) or `md5`. Options and questions always use SHA-256. */
export type HashAlgorithm = 'sha256' | 'md5';
/** Operation options that enter an AI key (canonical JSON digest). */
export type AiOptions = Readonly<Record<string, unknown>>;

/** Options of {@link CacheKeyGenerator}. */
export interface CacheKeyGeneratorOptions {
  /** Longest text (code points) kept readable in the key, integer 0..100 000; default 1000. */
  textHashThreshold?: number;
  /** Default `sha256`. */
  hashAlgorithm?: HashAlgorithm;
  /** Hash every text, whatever its length; default false. */
  alwaysHashText?: boolean;
  /** Longest text accepted, code points; default: no limit. */
  maxTextLength?: number;
  /** Receives `recordKeyGenerationTime` per key; enables {@link CacheKeyGenerator.getKeyGenerationStats}. */
  performanceMonitor?: CacheMetricsRecorder;
  /** Where recorder failures are reported (debug); default silent. */
  logger?: Logger;
}

/** Summary of the last (up to 1000) key generations; all zeros/empty without a monitor. */
export interface KeyGenerationStats {
  totalKeysGenerated: number;
  averageGenerationTimeMs: number;
  textSizeDistribution: { small: number; large: number; averageSize: number; maxSize: number } | Record<string, never>;
  operationDistribution: Record<string, number>;
  recentPerformance: { recentAverageTimeMs: number; recentMeasurements: number } | Record<string, never>;
  monitorAvailable: boolean;
}

interface Sample {
  durationMs: number;
  textLength: number;
  operation: string;
  large: boolean;
}

const SAMPLE_LIMIT = 1000;
const RECENT = 10;
const DIGEST_HEX = 16;

/** The 8 pre-built `extra` objects of `recordKeyGenerationTime` (no allocation per key). */
const EXTRAS: ReadonlyArray<Readonly<Record<string, unknown>>> = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) =>
  Object.freeze({ textTier: bits & 4 ? 'large' : 'small', hasOptions: (bits & 2) !== 0, hasQuestion: (bits & 1) !== 0 }),
);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, DIGEST_HEX);
}

function integerOption(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new ConfigurationError(`${name} must be an integer between ${min} and ${max} (got ${typeof value === 'number' ? value : typeof value})`, {
    code: 'INVALID_CONFIGURATION',
    context: { option: name },
  });
}

/**
 * Builds AI cache keys `ai_cache:op:<operation>|txt:<escaped text | hash:<16 hex>>[|opts:<16 hex>][|q:<16 hex>]`.
 * Keys are deterministic across calls, instances and processes, injective in the kept text
 * (`%`, `|`, `:` escaped), and carry 64-bit SHA-256 digests of the canonical options and of the
 * question. Lengths are counted in code points. Invalid input throws `ValidationError` before
 * anything is recorded.
 */
export class CacheKeyGenerator implements KeyGenerator {
  /** Longest kept text, code points. */
  readonly textHashThreshold: number;
  /** Digest of hashed text. */
  readonly hashAlgorithm: HashAlgorithm;
  /** Whether every text is hashed. */
  readonly alwaysHashText: boolean;
  /** Longest text accepted (code points), or undefined for no limit. */
  readonly maxTextLength: number | undefined;
  readonly #monitor: CacheMetricsRecorder | undefined;
  readonly #logger: Logger;
  readonly #samples: Sample[] = [];
  #next = 0;

  /** Validates the options (`ConfigurationError` `INVALID_CONFIGURATION`). */
  constructor(options: CacheKeyGeneratorOptions = {}) {
    this.textHashThreshold = integerOption('textHashThreshold', options.textHashThreshold, 1000, 0, 100_000);
    const algorithm = options.hashAlgorithm ?? 'sha256';
    if (algorithm !== 'sha256' && algorithm !== 'md5') {
      throw new ConfigurationError(`hashAlgorithm must be 'sha256' or 'md5' (got ${JSON.stringify(String(algorithm))})`, {
        code: 'INVALID_CONFIGURATION',
        context: { option: 'hashAlgorithm' },
      });
    }
    this.hashAlgorithm = algorithm;
    if (options.alwaysHashText !== undefined && typeof options.alwaysHashText !== 'boolean') {
      throw new ConfigurationError('alwaysHashText must be a boolean', { code: 'INVALID_CONFIGURATION', context: { option: 'alwaysHashText' } });
    }
    this.alwaysHashText = options.alwaysHashText ?? false;
    this.maxTextLength =
      options.maxTextLength === undefined ? undefined : integerOption('maxTextLength', options.maxTextLength, 0, 1, Number.MAX_SAFE_INTEGER);
    const monitor = options.performanceMonitor;
    this.#monitor = monitor && typeof monitor.recordKeyGenerationTime === 'function' ? monitor : undefined;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * The key for `text` under `operation` with `options`. Throws `ValidationError` for a non-string
   * text, an operation outside `[A-Za-z0-9_.-]{1,64}`, options that are not a plain object (or hold
   * non-JSON data), a text longer than `maxTextLength`, or a non-string question.
   */
  generateCacheKey(text: string, operation: string, options?: AiOptions | null): string {
    const started = this.#monitor ? performance.now() : 0;
    if (typeof text !== 'string') {
      throw new ValidationError('text must be a string', { code: 'INVALID_TEXT', context: { parameter: 'text', text_type: text === null ? 'null' : typeof text } });
    }
    assertOperation(operation);
    if (options !== undefined && options !== null && !isPlainObject(options)) {
      throw new ValidationError('options must be a plain object', {
        code: 'INVALID_OPTIONS',
        context: { parameter: 'options', options_type: Array.isArray(options) ? 'array' : typeof options },
      });
    }
    const length = codePointLength(text);
    if (this.maxTextLength !== undefined && length > this.maxTextLength) {
      throw new ValidationError(`text is longer than maxTextLength (${this.maxTextLength} code points)`, {
        code: 'TEXT_TOO_LONG',
        context: { parameter: 'text', text_length: length, max_text_length: this.maxTextLength },
      });
    }
    const question = options?.['question'];
    if (question !== undefined && question !== null && typeof question !== 'string') {
      throw new ValidationError('options.question must be a string', { code: 'INVALID_OPTIONS', context: { parameter: 'question', question_type: typeof question } });
    }
    const hasOptions = options !== undefined && options !== null && Object.keys(options).some((k) => options[k] !== undefined);
    const optionsDigest = hasOptions ? sha256Hex(toCanonicalJson(options)) : null;
    const hasQuestion = typeof question === 'string' && question !== '';

    const hashed = this.alwaysHashText || length > this.textHashThreshold;
    let key = `${AI_KEY_PREFIX}${operation}|txt:${hashed ? `hash:${this.#textHash(text, length)}` : escapeKeyText(text)}`;
    if (optionsDigest !== null) key += `|opts:${optionsDigest}`;
    if (hasQuestion) key += `|q:${sha256Hex(question)}`;

    if (this.#monitor) this.#record(performance.now() - started, length, operation, length > this.textHashThreshold, hasOptions, hasQuestion);
    return key;
  }

  /** Totals over the kept samples (newest 1000), distributions and the last-10 mean (see {@link KeyGenerationStats}). */
  getKeyGenerationStats(): KeyGenerationStats {
    const samples = this.#samples;
    if (samples.length === 0) {
      return {
        totalKeysGenerated: 0,
        averageGenerationTimeMs: 0,
        textSizeDistribution: {},
        operationDistribution: {},
        recentPerformance: {},
        monitorAvailable: this.#monitor !== undefined,
      };
    }
    let time = 0;
    let size = 0;
    let maxSize = 0;
    let large = 0;
    const operations = Object.create(null) as Record<string, number>;
    for (const s of samples) {
      time += s.durationMs;
      size += s.textLength;
      if (s.textLength > maxSize) maxSize = s.textLength;
      if (s.large) large++;
      operations[s.operation] = (operations[s.operation] ?? 0) + 1;
    }
    const recent = this.#recent();
    return {
      totalKeysGenerated: samples.length,
      averageGenerationTimeMs: time / samples.length,
      textSizeDistribution: { small: samples.length - large, large, averageSize: size / samples.length, maxSize },
      operationDistribution: operations,
      recentPerformance: { recentAverageTimeMs: recent.reduce((a, s) => a + s.durationMs, 0) / recent.length, recentMeasurements: recent.length },
      monitorAvailable: true,
    };
  }

  #textHash(text: string, length: number): string {
    return createHash(this.hashAlgorithm)
      .update(text, 'utf8')
      .update(`len:${length}`, 'utf8')
      .update(`words:${wordCount(text)}`, 'utf8')
      .digest('hex')
      .slice(0, DIGEST_HEX);
  }

  #recent(): Sample[] {
    const samples = this.#samples;
    if (samples.length < SAMPLE_LIMIT) return samples.slice(-RECENT);
    const out: Sample[] = [];
    for (let i = RECENT; i >= 1; i--) out.push(samples[(this.#next - i + SAMPLE_LIMIT) % SAMPLE_LIMIT] as Sample);
    return out;
  }

  #record(durationMs: number, textLength: number, operation: string, large: boolean, hasOptions: boolean, hasQuestion: boolean): void {
    const sample = { durationMs, textLength, operation, large };
    if (this.#samples.length < SAMPLE_LIMIT) this.#samples.push(sample);
    else this.#samples[this.#next] = sample;
    this.#next = (this.#next + 1) % SAMPLE_LIMIT;
    const monitor = this.#monitor as CacheMetricsRecorder;
    try {
      const extra = EXTRAS[(large ? 4 : 0) | (hasOptions ? 2 : 0) | (hasQuestion ? 1 : 0)] as Record<string, unknown>;
      guardRecorderCall(monitor.recordKeyGenerationTime?.(durationMs, textLength, operation, extra), this.#logger);
    } catch (error) {
      logRecorderFailure(this.#logger, error);
    }
  }
}
