import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, assertJsonSerializable, jsonCodec, toCanonicalJson } from '../src/index.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
/** Any JSON value, with -0 (which the codec refuses) normalised to 0 the way JSON itself does. */
const jsonData = fc.jsonValue({ stringUnit: 'binary' }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function serializationError(value: unknown): { code?: string; context?: Record<string, unknown> } {
  try {
    jsonCodec.encode(value);
  } catch (e) {
    return e as { code: string; context: Record<string, unknown> };
  }
  throw new Error('expected encode to throw');
}

describe('jsonCodec', () => {
  it('has id 0x01 and name json', () => {
    expect(jsonCodec.id).toBe(1);
    expect(jsonCodec.name).toBe('json');
  });

  it.each([
    ['nested objects', { a: { b: { c: [1, 2, { d: 'e' }] } }, f: null }],
    ['unicode and emoji', { s: 'naïve café — 中文 — 🚀🎉👩‍💻', k: 'ключ' }],
    ['an empty object', {}],
    ['a 100-element array', Array.from({ length: 100 }, (_, i) => ({ i, sq: i * i }))],
    ['scalars', ['', 0, -0.5, 1e21, true, false, null]],
  ])('round-trips %s exactly', (_label, value) => {
    expect(jsonCodec.decode(jsonCodec.encode(value))).toEqual(value);
  });

  it('keeps each object\'s key order at every depth and non-ASCII as UTF-8', () => {
    expect(text(jsonCodec.encode({ b: 1, a: 2 }))).toBe('{"b":1,"a":2}');
    expect(text(jsonCodec.encode({ z: { y: 1, x: [{ d: 1, c: 2 }] }, a: 'é' }))).toBe('{"z":{"y":1,"x":[{"d":1,"c":2}]},"a":"é"}');
    expect(Array.from(jsonCodec.encode('é'))).toEqual([0x22, 0xc3, 0xa9, 0x22]);
  });

  it('a value comes back as stored: JSON.stringify of the decoded value equals that of the original', () => {
    const value = { zeta: 1, alpha: { mid: [3, { y: 'y', x: 'x' }], first: null }, '10': 'ten', '9': 'nine', b: true };
    expect(JSON.stringify(jsonCodec.decode(jsonCodec.encode(value)))).toBe(JSON.stringify(value));
  });

  it('writes exactly what JSON.stringify writes for any JSON value without -0 (property)', () => {
    fc.assert(
      fc.property(jsonData, (value) => {
        expect(text(jsonCodec.encode(value))).toBe(JSON.stringify(value));
        expect(JSON.stringify(jsonCodec.decode(jsonCodec.encode(value)))).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  it('escapes what JSON must escape and keeps lone surrogates in strings as escapes (exact round trip)', () => {
    const value = { 'q"k': 'a"b\\c\n\u0001', lone: 'x\uD800y', pair: '🚀', [`long${'"'.repeat(30)}`]: `${'z'.repeat(40)}\t` };
    expect(text(jsonCodec.encode(value))).toBe(JSON.stringify(value));
    expect(jsonCodec.decode(jsonCodec.encode(value))).toEqual(value);
  });

  it('an own "__proto__" key next to other objects round-trips exactly (no inherited accessor leaks in)', () => {
    const value = JSON.parse('{"":{},"`":"","__proto__":[],"z":{"b":1,"a":[{}]}}') as Record<string, unknown>;
    expect(text(jsonCodec.encode(value))).toBe('{"":{},"`":"","__proto__":[],"z":{"b":1,"a":[{}]}}');
    expect(jsonCodec.decode(jsonCodec.encode(value))).toEqual(value);
  });

  it('refuses -0 (JSON cannot tell it from 0) instead of turning it into 0', () => {
    for (const [value, path] of [[-0, '$'], [{ a: [1, -0] }, '$.a[1]'], [{ n: { m: -0 } }, '$.n.m']] as const) {
      const e = serializationError(value);
      expect(e.code).toBe('SERIALIZATION_ERROR');
      expect(e.context).toMatchObject({ path, data_type: '-0' });
    }
    expect(text(jsonCodec.encode({ zero: 0, tiny: -1e-300 }))).toBe('{"zero":0,"tiny":-1e-300}');
  });

  it('reads each property once, getters included, and writes what it checked', () => {
    let reads = 0;
    const value = {
      get flaky(): number {
        reads++;
        return reads === 1 ? 1 : Number.NaN;
      },
    };
    expect(text(jsonCodec.encode(value))).toBe('{"flaky":1}');
    expect(reads).toBe(1);
    const items: unknown[] = [];
    let itemReads = 0;
    Object.defineProperty(items, 0, { enumerable: true, get: () => (++itemReads === 1 ? 'ok' : () => 1) });
    expect(text(jsonCodec.encode({ items }))).toBe('{"items":["ok"]}');
    expect(itemReads).toBe(1);
  });

  it('a getter that turns bad on a later read cannot slip NaN through', () => {
    let reads = 0;
    const value = {
      get n(): number {
        reads++;
        return reads === 1 ? Number.NaN : 1;
      },
    };
    expect(serializationError(value)).toMatchObject({ code: 'SERIALIZATION_ERROR', context: { path: '$.n', data_type: 'NaN' } });
    expect(reads).toBe(1);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels with a ValidationError, never a RangeError`, () => {
    const nest = (depth: number, inner: unknown = 1): unknown => {
      let v: unknown = inner;
      for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
      return v;
    };
    expect(jsonCodec.decode(jsonCodec.encode(nest(MAX_JSON_DEPTH)))).toEqual(nest(MAX_JSON_DEPTH));
    for (const depth of [MAX_JSON_DEPTH + 1, 5000, 100_000]) {
      const e = serializationError(nest(depth)) as { name?: string; code?: string; context?: Record<string, unknown>; message?: string };
      expect(e.name).toBe('ValidationError');
      expect(e.code).toBe('SERIALIZATION_ERROR');
      expect(String(e.message)).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
      expect(String(e.context?.['path']).length).toBeLessThanOrEqual(201);
    }
  });

  it('round-trips objects with __proto__ keys at any depth (property)', () => {
    const withProto = fc.dictionary(fc.constantFrom('__proto__', 'a', 'b', ''), jsonData, { maxKeys: 4 });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), withProto), (obj) => {
        const json = JSON.stringify(obj);
        expect(jsonCodec.decode(jsonCodec.encode(JSON.parse(json)))).toEqual(JSON.parse(json));
      }),
      { numRuns: 200 },
    );
  });

  it('a decode error never quotes the stored bytes', () => {
    const secret = 'sk-live-0123456789';
    try {
      jsonCodec.decode(new TextEncoder().encode(`{"token": ${secret}}`));
      throw new Error('expected a throw');
    } catch (e) {
      expect(JSON.stringify((e as { toJSON(): unknown }).toJSON())).not.toContain(secret);
      expect((e as Error).message).not.toContain(secret);
      expect((e as Error).cause).toBeUndefined();
    }
  });

  it('omits object properties whose value is undefined and accepts null-prototype objects', () => {
    expect(text(jsonCodec.encode({ a: undefined, b: 1 }))).toBe('{"b":1}');
    const bare = Object.assign(Object.create(null) as object, { k: 'v' });
    expect(jsonCodec.decode(jsonCodec.encode(bare))).toEqual({ k: 'v' });
  });

  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;
  class Point {
    constructor(readonly x: number) {}
  }
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
  it.each([
    ['a function', () => 1, '$', 'function'],
    ['a nested function', { a: [1, 2, () => 1] }, '$.a[2]', 'function'],
    ['a symbol', { s: Symbol('x') }, '$.s', 'symbol'],
    ['a bigint', { n: 10n }, '$.n', 'bigint'],
    ['NaN', { n: Number.NaN }, '$.n', 'NaN'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0]', 'Infinity'],
    ['-Infinity', { deep: { x: Number.NEGATIVE_INFINITY } }, '$.deep.x', '-Infinity'],
    ['a Date', { when: new Date(0) }, '$.when', 'Date'],
    ['a Map', { m: new Map() }, '$.m', 'Map'],
    ['a Set', [new Set([1])], '$[0]', 'Set'],
    ['a class instance', { p: new Point(1) }, '$.p', 'Point'],
    ['undefined at top level', undefined, '$', 'undefined'],
    ['undefined in an array', [1, undefined], '$[1]', 'undefined'],
    ['a sparse array', { list: sparse }, '$.list[1]', 'undefined'],
    ['a cycle', cyclic, '$.self', 'Object'],
    ['a key that is not an identifier', { 'a b': [() => 1] }, '$["a b"][0]', 'function'],
  ])('refuses %s with SERIALIZATION_ERROR at the right path', (_label, value, path, dataType) => {
    const e = serializationError(value);
    expect(e.code).toBe('SERIALIZATION_ERROR');
    expect(e.context).toMatchObject({ error_type: 'serialization_error', path, data_type: dataType });
    expect(typeof e.context?.['original_error']).toBe('string');
    expect(() => assertJsonSerializable(value)).toThrow(expect.objectContaining({ code: 'SERIALIZATION_ERROR' }));
  });

  it('accepts a shared (non-cyclic) reference twice', () => {
    const shared = { x: 1 };
    expect(jsonCodec.decode(jsonCodec.encode({ a: shared, b: shared }))).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it.each([
    ['invalid UTF-8', new Uint8Array([0xff, 0xfe])],
    ['malformed JSON', new TextEncoder().encode('{bad')],
    ['empty input', new Uint8Array()],
  ])('decode of %s throws DESERIALIZATION_ERROR', (_label, bytes) => {
    expect(() => jsonCodec.decode(bytes)).toThrow(expect.objectContaining({ name: 'ValidationError', code: 'DESERIALIZATION_ERROR' }));
  });

  it('round-trips any JSON value (property)', () => {
    fc.assert(
      fc.property(jsonData, (value) => {
        expect(jsonCodec.decode(jsonCodec.encode(value))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps insertion order: reversing the keys reverses them in the bytes (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), jsonData), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(Object.keys(jsonCodec.decode(jsonCodec.encode(reversed)) as object)).toEqual(Object.keys(reversed));
      }),
      { numRuns: 200 },
    );
  });
});

describe('toCanonicalJson (digests inside keys)', () => {
  it('sorts object keys at every depth', () => {
    expect(toCanonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(toCanonicalJson({ z: { y: 1, x: [{ d: 1, c: 2 }] }, a: 'é' })).toBe('{"a":"é","z":{"x":[{"c":2,"d":1}],"y":1}}');
  });

  it('sorts integer-like keys as strings, like Python sort_keys', () => {
    expect(toCanonicalJson({ 9: 'a', 10: 'b', x: { b: 1, a: 2 } })).toBe('{"10":"b","9":"a","x":{"a":2,"b":1}}');
  });

  it('an own "__proto__" key is sorted like any other', () => {
    const value = JSON.parse('{"":{},"`":"","__proto__":[],"z":{"b":1,"a":[{}]}}') as Record<string, unknown>;
    expect(toCanonicalJson(value)).toBe('{"":{},"__proto__":[],"`":"","z":{"a":[{}],"b":1}}');
  });

  it('is deterministic: key insertion order never changes the text (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), jsonData), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(toCanonicalJson(reversed)).toBe(toCanonicalJson(obj));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what the codec refuses', () => {
    expect(() => toCanonicalJson({ f: () => 1 })).toThrow(expect.objectContaining({ code: 'SERIALIZATION_ERROR' }));
    expect(() => toCanonicalJson({ z: -0 })).toThrow(expect.objectContaining({ code: 'SERIALIZATION_ERROR' }));
  });
});
