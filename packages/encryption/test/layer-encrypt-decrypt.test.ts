import fc from 'fast-check';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { EncryptedCacheLayer, Fernet, generateFernetKey, type EncryptionPerformanceStats } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';
import { thrown } from './thrown.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function layer(options: Partial<ConstructorParameters<typeof EncryptedCacheLayer>[0]> = {}) {
  const logger = recordingLogger();
  return { logger, layer: new EncryptedCacheLayer({ encryptionKey: generateFernetKey(), logger, ...options }) };
}

const AI_RESPONSE = {
  model: 'gpt-x',
  confidence: 0.95,
  latency: 1.234,
  choices: [{ index: 0, text: 'Bonjour, ça va? 你好 Привет مرحبا 🚀', logprob: -0.5 }],
  usage: { prompt_tokens: 12, completion_tokens: 40 },
  cached: false,
  metadata: null,
};

describe('EncryptedCacheLayer round trips', () => {
  it.each([
    ['nested objects and arrays', { a: { b: { c: [1, [2, [3, { d: 'e' }]]] } } }],
    ['unicode and emoji', { cjk: '中文日本語한국어', cyr: 'Привет', ar: 'مرحبا', latin: 'àéîõü ñ ç', emoji: '😀🎉👍🏽' }],
    ['an empty object', {}],
    ['100 records', Array.from({ length: 100 }, (_, i) => ({ id: i, name: `user-${i}`, score: i / 7, tags: ['a', 'b'] }))],
    ['an AI response shape', AI_RESPONSE],
    ['a top-level string, number, boolean and null', ['x', 3.5, true, null]],
  ])('%s round-trip exactly through a token', (_what, value) => {
    const { layer: l } = layer();
    const token = l.encryptCacheData(value);
    expect(Buffer.isBuffer(token)).toBe(true);
    expect(token.length).toBeGreaterThan(0);
    expect(token.toString('latin1')).toMatch(/^[A-Za-z0-9_-]+={0,2}$/);
    expect(l.decryptCacheData(token)).toEqual(value);
    expect(l.decryptCacheData(token.toString('ascii'))).toEqual(value);
  });

  it('floats keep their value and stay non-integer; each decrypt returns a fresh object', () => {
    const { layer: l } = layer();
    const token = l.encryptCacheData(AI_RESPONSE);
    const first = l.decryptCacheData<typeof AI_RESPONSE>(token);
    const second = l.decryptCacheData<typeof AI_RESPONSE>(token);
    expect(first.confidence).toBe(0.95);
    expect(Number.isInteger(first.latency)).toBe(false);
    expect(first).not.toBe(second);
    expect(first.choices).not.toBe(second.choices);
  });

  it('serializes with core jsonCodec, keeping key order, so a value decrypts as it was stored', () => {
    const key = generateFernetKey();
    const l = new EncryptedCacheLayer({ encryptionKey: key, logger: recordingLogger() });
    expect(new Fernet(key).decrypt(l.encryptCacheData({ b: 1, a: { d: 2, c: 'é' } })).toString('utf8')).toBe('{"b":1,"a":{"d":2,"c":"é"}}');
  });

  it('property: any JSON value (fast-check jsonValue, no -0) round-trips', () => {
    const { layer: l } = layer();
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
        const normal = JSON.parse(JSON.stringify(value)) as unknown; // -0 becomes 0 in JSON
        expect(l.decryptCacheData(l.encryptCacheData(normal))).toEqual(normal);
      }),
      { numRuns: 300 },
    );
  });
});

class Point {
  constructor(
    public x = 1,
    public y = 2,
  ) {}
}

describe('EncryptedCacheLayer refuses what JSON cannot round-trip', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;

  it.each([
    ['Date', new Date(0), 'Date', 'Date'],
    ['a Date inside an object', { when: new Date(0) }, 'object', 'Date'],
    ['a class instance', new Point(), 'Point', 'Point'],
    ['a function', () => 1, 'function', 'function'],
    ['a cycle', cyclic, 'object', 'circular'],
    ['a bigint in an array', [1n], 'array', 'bigint'],
    ['a symbol', { s: Symbol('x') }, 'object', 'symbol'],
    ['a Map', new Map([[1, 2]]), 'Map', 'Map'],
    ['a Set', { s: new Set([1]) }, 'object', 'Set'],
    ['NaN', { n: Number.NaN }, 'object', 'NaN'],
    ['Infinity', [Number.POSITIVE_INFINITY], 'array', 'Infinity'],
  ])('%s → ValidationError SERIALIZATION_ERROR with data_type %o, guidance after a blank line', (_what, value, dataType, offender) => {
    const { layer: l, logger } = layer();
    const before = l.getPerformanceStats();
    const error = thrown(() => l.encryptCacheData(value));
    expect(error).toMatchObject({ name: 'ValidationError', code: 'SERIALIZATION_ERROR' });
    expect(error.context).toMatchObject({ error_type: 'serialization_error', data_type: dataType, path: expect.stringMatching(/^\$/) });
    expect(error.context.original_error).toEqual(expect.stringContaining(offender));
    const paragraphs = error.message.split('\n\n');
    expect(paragraphs[0]).toMatch(/ENCRYPTION ERROR.*Failed to serialize cache data/);
    expect(paragraphs[1]).toMatch(/JSON-serializable/);
    expect(paragraphs[1]).toMatch(/string, number.*boolean, null/);
    expect(paragraphs[1]).toMatch(/arrays.*plain objects/);
    expect(paragraphs[1]).toMatch(/avoid: Date.*class instances.*functions/);
    expect(error.message.split('\n').length).toBeGreaterThanOrEqual(4);
    expect(l.getPerformanceStats()).toEqual(before);
    expect(logger.at('warn')).toHaveLength(0);
  });

  it('the path points at the offending member', () => {
    const { layer: l } = layer();
    expect(thrown(() => l.encryptCacheData({ a: [1, 2, new Date(0)] })).context.path).toBe('$.a[2]');
  });
});

describe('EncryptedCacheLayer encryption failures', () => {
  it('injected fault: a throwing Fernet.encrypt becomes ENCRYPTION_FAILURE with causes, error log, no stats', () => {
    const { layer: l, logger } = layer();
    vi.spyOn(Fernet.prototype, 'encrypt').mockImplementation(() => {
      throw new Error('EVP_EncryptInit failed');
    });
    const error = thrown(() => l.encryptCacheData({ secret: 'value-1' }));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'ENCRYPTION_FAILURE' });
    expect(error.context).toEqual({ error_type: 'encryption_failure', original_error: 'Error: EVP_EncryptInit failed' });
    expect(error.message).toMatch(/corrupted .*key/);
    expect(error.message).toMatch(/resource limits/);
    expect(error.message).toMatch(/crypto library/);
    expect(logger.at('error')).toHaveLength(1);
    expect(thrown(() => l.encryptBytes(Buffer.from('x'))).code).toBe('ENCRYPTION_FAILURE');
    expect(l.getPerformanceStats()).toMatchObject({ encryptionOperations: 0, totalEncryptionTimeMs: 0 });
  });
});

describe('EncryptedCacheLayer decryption failures (rules 17–20, 22)', () => {
  it.each([
    ['garbage bytes', Buffer.from([0, 1, 2, 0xff, 0xfe])],
    ['a JSON string', '{"a":1}'],
    ['a truncated token', 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ'],
  ])('%s → DECRYPTION_FAILURE with data_size = input byte length (fallback off)', (_what, input) => {
    const { layer: l } = layer();
    const error = thrown(() => l.decryptCacheData(input));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'DECRYPTION_FAILURE' });
    expect(error.context).toEqual({
      error_type: 'decryption_failure',
      data_size: Buffer.byteLength(input),
      original_error: 'InvalidTokenError: Invalid Fernet token',
    });
    expect(error.cause).toMatchObject({ name: 'InvalidTokenError', code: 'INVALID_TOKEN' });
    expect(error.message).toMatch(/^🔒 DECRYPTION ERROR/);
    expect(error.message).toMatch(/This may indicate:[\s\S]*wrong[\s\S]*corrupted[\s\S]*key rotation/);
    expect(l.getPerformanceStats()).toMatchObject({ decryptionOperations: 0 });
  });

  it('two layers with different keys cannot read each other', () => {
    const a = layer().layer;
    const b = layer().layer;
    const token = a.encryptCacheData({ user: 'x' });
    expect(thrown(() => b.decryptCacheData(token))).toMatchObject({ code: 'DECRYPTION_FAILURE', context: { data_size: token.length } });
    expect(a.decryptCacheData(token)).toEqual({ user: 'x' });
  });

  it('a valid token whose plaintext is not JSON → DESERIALIZATION_ERROR with hints and data_size', () => {
    const key = generateFernetKey();
    const l = new EncryptedCacheLayer({ encryptionKey: key, logger: recordingLogger() });
    const token = new Fernet(key).encrypt('{not json: top-secret-plaintext');
    const error = thrown(() => l.decryptCacheData(token));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'DESERIALIZATION_ERROR' });
    expect(error.context).toEqual({ error_type: 'deserialization_error', data_size: token.length, original_error: expect.stringContaining('SyntaxError') });
    expect(error.message).toMatch(/DECRYPTION ERROR.*Failed to deserialize cache data/);
    expect(error.message).toMatch(/This may indicate:[\s\S]*corrupted cache data[\s\S]*wrong encryption key[\s\S]*format mismatch[\s\S]*cache corruption/);
    expect(JSON.stringify({ m: error.message, c: error.context, cause: String(error.cause) })).not.toContain('top-secret');
  });

  it('invalid UTF-8 inside a valid token → DESERIALIZATION_ERROR (fatal decoding, never U+FFFD)', () => {
    const key = generateFernetKey();
    const l = new EncryptedCacheLayer({ encryptionKey: key, logger: recordingLogger() });
    const error = thrown(() => l.decryptCacheData(new Fernet(key).encrypt(Buffer.from([0x22, 0xff, 0xfe, 0x22]))));
    expect(error).toMatchObject({ code: 'DESERIALIZATION_ERROR', context: { original_error: expect.stringContaining('UTF-8') } });
  });

  it('injected fault: a non-token error inside Fernet.decrypt → DECRYPTION_FAILURE with original_error and an error log', () => {
    const { layer: l, logger } = layer({ allowPlaintextFallback: true });
    const token = l.encryptCacheData({ a: 1 });
    vi.spyOn(Fernet.prototype, 'decrypt').mockImplementation(() => {
      throw new RangeError('out of memory');
    });
    const error = thrown(() => l.decryptCacheData(token));
    expect(error).toMatchObject({ code: 'DECRYPTION_FAILURE', context: { original_error: 'RangeError: out of memory', data_size: token.length } });
    expect(logger.at('error')).toHaveLength(1);
    expect(logger.at('warn')).toHaveLength(0);
  });

  it('bad argument types → ValidationError INVALID_ARGUMENT', () => {
    const { layer: l } = layer();
    expect(thrown(() => l.decryptCacheData(42 as unknown as string))).toMatchObject({ name: 'ValidationError', code: 'INVALID_ARGUMENT' });
    expect(thrown(() => l.encryptBytes('text' as unknown as Uint8Array))).toMatchObject({ name: 'ValidationError', code: 'INVALID_ARGUMENT' });
    expect(thrown(() => l.decryptBytes({} as unknown as Uint8Array))).toMatchObject({ name: 'ValidationError', code: 'INVALID_ARGUMENT' });
  });
});

describe('EncryptedCacheLayer plaintext fallback (opt-in)', () => {
  it('JSON bytes are read with a warning every time; real tokens still decrypt without one', () => {
    // Slow-operation warnings out of the count: on a loaded machine a 30 ms decrypt would add one.
    const { layer: l, logger } = layer({ allowPlaintextFallback: true, slowEncryptWarnMs: 60_000, slowDecryptWarnMs: 60_000 });
    logger.lines.length = 0;
    expect(l.decryptCacheData(Buffer.from('{"legacy":true}'))).toEqual({ legacy: true });
    expect(l.decryptCacheData('{"legacy":2}')).toEqual({ legacy: 2 });
    expect(logger.at('warn')).toHaveLength(2);
    expect(logger.at('warn')[0]?.message).toMatch(/unencrypted cache data.*backward compatibility/i);
    expect(l.decryptCacheData(l.encryptCacheData({ fresh: 1 }))).toEqual({ fresh: 1 });
    expect(logger.at('warn')).toHaveLength(2);
    expect(l.getPerformanceStats()).toMatchObject({ decryptionOperations: 3 });
  });

  it('garbage → DESERIALIZATION_ERROR with hints; invalid UTF-8 too', () => {
    const { layer: l } = layer({ allowPlaintextFallback: true });
    const garbage = Buffer.from('not json at all');
    expect(thrown(() => l.decryptCacheData(garbage))).toMatchObject({
      code: 'DESERIALIZATION_ERROR',
      context: { error_type: 'deserialization_error', data_size: garbage.length },
      message: expect.stringMatching(/This may indicate:/),
    });
    expect(thrown(() => l.decryptCacheData(Buffer.from([0x7b, 0xff, 0x7d])))).toMatchObject({
      code: 'DESERIALIZATION_ERROR',
      context: { data_size: 3, original_error: expect.stringContaining('UTF-8') },
    });
    expect(l.getPerformanceStats()).toMatchObject({ decryptionOperations: 0 });
  });

  it('a token under another key is still not readable (it is not JSON either)', () => {
    const { layer: l } = layer({ allowPlaintextFallback: true });
    const foreign = layer().layer.encryptCacheData({ a: 1 });
    expect(thrown(() => l.decryptCacheData(foreign)).code).toBe('DESERIALIZATION_ERROR');
  });
});

describe('EncryptedCacheLayer disabled (encryptionKey: null)', () => {
  it('writes parseable JSON bytes with one warning on the first write only, and reads JSON back', () => {
    const logger = recordingLogger();
    const l = new EncryptedCacheLayer({ encryptionKey: null, logger });
    logger.lines.length = 0;
    const value = { b: [1, 'é'], a: null };
    const bytes = l.encryptCacheData(value);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(value);
    l.encryptCacheData({ again: true });
    l.encryptBytes(Buffer.from('raw'));
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]?.message).toMatch(/without encryption/i);
    expect(l.decryptCacheData(bytes)).toEqual(value);
    expect(l.decryptCacheData('{"x":[1,2]}')).toEqual({ x: [1, 2] });
  });

  it('invalid UTF-8 or JSON → DESERIALIZATION_ERROR', () => {
    const l = new EncryptedCacheLayer({ encryptionKey: null, logger: recordingLogger() });
    expect(thrown(() => l.decryptCacheData(Buffer.from([0xff, 0xfe]))).code).toBe('DESERIALIZATION_ERROR');
    expect(thrown(() => l.decryptCacheData('{bad')).code).toBe('DESERIALIZATION_ERROR');
  });

  it('encryptBytes/decryptBytes return copies of the input bytes', () => {
    const l = new EncryptedCacheLayer({ encryptionKey: null, logger: recordingLogger() });
    const input = Buffer.from([1, 2, 3]);
    const sealed = l.encryptBytes(input);
    const opened = l.decryptBytes(sealed);
    expect([...sealed]).toEqual([1, 2, 3]);
    expect([...opened]).toEqual([1, 2, 3]);
    input[0] = 9;
    sealed[1] = 9;
    expect([...opened]).toEqual([1, 2, 3]);
    expect([...l.decryptBytes('abc')]).toEqual([97, 98, 99]);
  });
});

describe('EncryptedCacheLayer types', () => {
  it('decryptCacheData is generic (default unknown); encrypt returns Buffer; stats are a discriminated union', () => {
    const { layer: l } = layer();
    const token = l.encryptCacheData({ a: 1 });
    expectTypeOf(token).toEqualTypeOf<Buffer>();
    expectTypeOf(l.decryptCacheData(token)).toEqualTypeOf<unknown>();
    expectTypeOf(l.decryptCacheData<{ a: number }>(token)).toEqualTypeOf<{ a: number }>();
    expectTypeOf(l.decryptBytes).parameter(0).toEqualTypeOf<Uint8Array | string>();
    const stats: EncryptionPerformanceStats = l.getPerformanceStats();
    if (stats.performanceMonitoring) expectTypeOf(stats.avgEncryptionTimeMs).toEqualTypeOf<number>();
    else expectTypeOf(stats.error).toEqualTypeOf<'Performance monitoring is disabled'>();
    expect(l.decryptCacheData<{ a: number }>(token).a).toBe(1);
  });
});
