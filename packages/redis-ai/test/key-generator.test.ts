import { isValidationError } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { CacheKeyGenerator, getTextTier, parseAiKey, shouldPromoteToMemory } from '../src/keys.js';
import { recordingRecorder } from './helpers.js';

const gen = new CacheKeyGenerator();

describe('CacheKeyGenerator key format (checklist 1)', () => {
  it.each([
    ['Short text for testing.', 'summarize', { max_length: 100, temperature: 0.7, language: 'en' }, 'ai_cache:op:summarize|txt:Short text for testing.|opts:fdb0c6fd8ed470c7'],
    ['Document content', 'qa', { question: 'What is the main point?', max_tokens: 150 }, 'ai_cache:op:qa|txt:Document content|opts:410130cf77c0b95d|q:139d202830bf8663'],
    ['x'.repeat(1001), 'summarize', {}, 'ai_cache:op:summarize|txt:hash:22f605c1b18ad0cb'],
    ['🌟'.repeat(1100), 'sentiment', null, 'ai_cache:op:sentiment|txt:hash:95b5cddd604b60a6'],
    ['a|b: 100%', 'summarize', {}, 'ai_cache:op:summarize|txt:a%7Cb%3A 100%25'],
  ])('vector %#', (text, op, options, expected) => {
    expect(gen.generateCacheKey(text, op, options)).toBe(expected);
  });

  it('hashes the long document to its published digest', () => {
    expect(gen.generateCacheKey('This is a very long document '.repeat(100), 'summarize')).toBe('ai_cache:op:summarize|txt:hash:6f8a35151bf58906');
  });

  it('is deterministic across instances', () => {
    expect(new CacheKeyGenerator().generateCacheKey('same', 'qa', { b: 1, a: 2 })).toBe(gen.generateCacheKey('same', 'qa', { a: 2, b: 1 }));
  });
});

describe('thresholds counted in code points (checklist 2)', () => {
  it('keeps 1000 × x and hashes 1001 × x', () => {
    expect(gen.generateCacheKey('x'.repeat(1000), 'op')).toBe(`ai_cache:op:op|txt:${'x'.repeat(1000)}`);
    expect(gen.generateCacheKey('x'.repeat(1001), 'op')).toMatch(/\|txt:hash:[0-9a-f]{16}$/);
  });

  it('keeps 600 × 🌟 (1200 UTF-16 units) and hashes 1001 × 🌟', () => {
    expect(gen.generateCacheKey('🌟'.repeat(600), 'op')).toBe(`ai_cache:op:op|txt:${'🌟'.repeat(600)}`);
    expect(gen.generateCacheKey('🌟'.repeat(1001), 'op')).toMatch(/\|txt:hash:[0-9a-f]{16}$/);
  });

  it('threshold 0 hashes any non-empty text and keeps the empty text', () => {
    const zero = new CacheKeyGenerator({ textHashThreshold: 0 });
    expect(zero.generateCacheKey('a', 'op')).toMatch(/\|txt:hash:[0-9a-f]{16}$/);
    expect(zero.generateCacheKey('', 'op')).toBe('ai_cache:op:op|txt:');
    expect(gen.generateCacheKey('', 'op')).toBe('ai_cache:op:op|txt:');
  });

  it('alwaysHashText hashes short text', () => {
    const always = new CacheKeyGenerator({ alwaysHashText: true });
    const key = always.generateCacheKey('short secret', 'op');
    expect(key).toMatch(/^ai_cache:op:op\|txt:hash:[0-9a-f]{16}$/);
    expect(key).not.toContain('secret');
  });

  it('md5 is used for the text hash when chosen, SHA-256 for options either way', () => {
    const md5 = new CacheKeyGenerator({ hashAlgorithm: 'md5' });
    const a = md5.generateCacheKey('x'.repeat(1001), 'op', { k: 1 });
    const b = gen.generateCacheKey('x'.repeat(1001), 'op', { k: 1 });
    expect(a.split('|')[1]).not.toBe(b.split('|')[1]);
    expect(a.split('|')[2]).toBe(b.split('|')[2]);
  });

  it('rejects generator options out of range', () => {
    expect(() => new CacheKeyGenerator({ textHashThreshold: 100_001 })).toThrow(/textHashThreshold/);
    expect(() => new CacheKeyGenerator({ hashAlgorithm: 'sha1' as never })).toThrow(/hashAlgorithm/);
  });
});

describe('escaping and options digests (checklist 3)', () => {
  it('escaping is injective: a|b, a_b and a%7Cb give three keys', () => {
    const keys = new Set(['a|b', 'a_b', 'a%7Cb'].map((t) => gen.generateCacheKey(t, 'op')));
    expect(keys.size).toBe(3);
  });

  it('a kept text never looks like a hash', () => {
    expect(gen.generateCacheKey('hash:0123456789abcdef', 'op')).toBe('ai_cache:op:op|txt:hash%3A0123456789abcdef');
    expect(parseAiKey(gen.generateCacheKey('hash:0123456789abcdef', 'op'))).toEqual({ operation: 'op', text: 'hash:0123456789abcdef' });
  });

  it('option key order does not matter at any depth; structure does', () => {
    const a = gen.generateCacheKey('t', 'op', { x: 1, nested: { b: [1, 2], a: 'z' } });
    const b = gen.generateCacheKey('t', 'op', { nested: { a: 'z', b: [1, 2] }, x: 1 });
    const c = gen.generateCacheKey('t', 'op', { x: 1, nested: { a: 'z', b: [2, 1] } });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('{ a: undefined } adds no opts component', () => {
    expect(gen.generateCacheKey('t', 'op', { a: undefined })).toBe('ai_cache:op:op|txt:t');
  });
});

describe('question digests (checklist 4)', () => {
  it('adds q: for any operation with a question, different per question', () => {
    const one = gen.generateCacheKey('doc', 'summarize', { question: 'one?' });
    const two = gen.generateCacheKey('doc', 'summarize', { question: 'two?' });
    expect(one).toMatch(/\|q:[0-9a-f]{16}$/);
    expect(one).not.toBe(two);
  });

  it.each([undefined, null, ''])('question %j adds no q:', (question) => {
    expect(gen.generateCacheKey('doc', 'qa', { question })).not.toContain('|q:');
  });

  it('question: 42 is a ValidationError', () => {
    expect(() => gen.generateCacheKey('doc', 'qa', { question: 42 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

describe('invalid input (checklist 5)', () => {
  it.each([
    [null, 'op', undefined],
    [42, 'op', undefined],
    ['t', '', undefined],
    ['t', 'a|b', undefined],
    ['t', null, undefined],
    ['t', 'x'.repeat(65), undefined],
    ['t', 'op', 'str'],
    ['t', 'op', [1]],
    ['t', 'op', new Map()],
    ['t', 'op', { f: () => 1 }],
  ])('text %j, operation %j, options %j → ValidationError, nothing recorded', (text, op, options) => {
    const recorder = recordingRecorder();
    const g = new CacheKeyGenerator({ performanceMonitor: recorder });
    let error: unknown;
    try {
      g.generateCacheKey(text as never, op as never, options as never);
    } catch (e) {
      error = e;
    }
    expect(isValidationError(error)).toBe(true);
    expect(recorder.calls).toEqual([]);
    expect(g.getKeyGenerationStats().totalKeysGenerated).toBe(0);
  });

  it('maxTextLength rejects longer text (code points)', () => {
    const g = new CacheKeyGenerator({ maxTextLength: 3 });
    expect(g.generateCacheKey('🌟🌟🌟', 'op')).toBe('ai_cache:op:op|txt:🌟🌟🌟');
    expect(() => g.generateCacheKey('abcd', 'op')).toThrow(expect.objectContaining({ code: 'TEXT_TOO_LONG' }));
  });
});

describe('key statistics and tiers (checklist 6)', () => {
  it('without a monitor: zeros and monitorAvailable false', () => {
    const g = new CacheKeyGenerator();
    g.generateCacheKey('text', 'op');
    expect(g.getKeyGenerationStats()).toEqual({
      totalKeysGenerated: 0, averageGenerationTimeMs: 0, textSizeDistribution: {}, operationDistribution: {}, recentPerformance: {}, monitorAvailable: false,
    });
  });

  it('with a monitor and no samples: empty with monitorAvailable true', () => {
    expect(new CacheKeyGenerator({ performanceMonitor: recordingRecorder() }).getKeyGenerationStats().monitorAvailable).toBe(true);
  });

  it('with a monitor: totals, distributions, recent window and the recorder call shape', () => {
    const recorder = recordingRecorder();
    const g = new CacheKeyGenerator({ performanceMonitor: recorder, textHashThreshold: 5 });
    for (let i = 0; i < 12; i++) g.generateCacheKey(i % 3 === 0 ? 'long text' : 'abc', i % 2 === 0 ? 'summarize' : 'qa', i === 0 ? { question: 'q' } : null);
    const stats = g.getKeyGenerationStats();
    expect(stats.totalKeysGenerated).toBe(12);
    expect(stats.textSizeDistribution).toEqual({ small: 8, large: 4, averageSize: (4 * 9 + 8 * 3) / 12, maxSize: 9 });
    expect(stats.operationDistribution).toEqual({ summarize: 6, qa: 6 });
    expect(stats.recentPerformance).toMatchObject({ recentMeasurements: 10 });
    expect(stats.averageGenerationTimeMs).toBeGreaterThanOrEqual(0);
    const calls = recorder.calls.filter((c) => c.hook === 'recordKeyGenerationTime');
    expect(calls).toHaveLength(12);
    expect(calls[0]?.args.slice(1)).toEqual([9, 'summarize', { textTier: 'large', hasOptions: true, hasQuestion: true }]);
    expect(calls[1]?.args.slice(1)).toEqual([3, 'qa', { textTier: 'small', hasOptions: false, hasQuestion: false }]);
    expect(Object.isFrozen(calls[1]?.args[3])).toBe(true);
    expect(calls[1]?.args[3]).toBe(calls[5]?.args[3]);
  });

  it('keeps only the newest 1000 samples', () => {
    const g = new CacheKeyGenerator({ performanceMonitor: recordingRecorder() });
    for (let i = 0; i < 1005; i++) g.generateCacheKey('t', i < 5 ? 'old' : 'new');
    const stats = g.getKeyGenerationStats();
    expect(stats.totalKeysGenerated).toBe(1000);
    expect(stats.operationDistribution).toEqual({ new: 1000 });
  });

  it('a throwing recorder never fails key generation', () => {
    const g = new CacheKeyGenerator({ performanceMonitor: { recordOperation: () => undefined, recordKeyGenerationTime: () => { throw new Error('boom'); } } });
    expect(g.generateCacheKey('t', 'op')).toBe('ai_cache:op:op|txt:t');
  });

  it.each([
    [499, 'small'], [500, 'medium'], [4999, 'medium'], [5000, 'large'], [49_999, 'large'], [50_000, 'xlarge'],
  ])('%i code points is %s', (n, tier) => {
    expect(getTextTier('🌟'.repeat(n))).toBe(tier);
  });

  it('getTextTier rejects non-strings', () => {
    expect(() => getTextTier(5 as never)).toThrow('Invalid text parameter: must be string');
  });
});

describe('promotion rules and key parsing', () => {
  it.each([
    ['small', 'anything', 0, true],
    ['medium', 'summarize', 0, true],
    ['large', 'sentiment', 0, true],
    ['large', 'summarize', 0, false],
    ['medium', 'qa', 9, false],
    ['medium', 'qa', 10, true],
    ['xlarge', 'sentiment', 100, false],
    ['unknown', 'sentiment', 100, false],
    ['small', '', 0, false],
  ] as const)('tier %s, operation %s, %i hits → %s', (tier, op, hits, expected) => {
    expect(shouldPromoteToMemory(tier, op, hits)).toBe(expected);
  });

  it('parseAiKey reads operation and unescaped text, null text when hashed, null for foreign keys', () => {
    expect(parseAiKey(gen.generateCacheKey('a|b: 100%', 'summarize', { k: 1 }))).toEqual({ operation: 'summarize', text: 'a|b: 100%' });
    expect(parseAiKey(gen.generateCacheKey('x'.repeat(2000), 'qa'))).toEqual({ operation: 'qa', text: null });
    expect(parseAiKey('user:1')).toBeNull();
    expect(parseAiKey('ai_cache:op:bad op|txt:x')).toBeNull();
  });
});
