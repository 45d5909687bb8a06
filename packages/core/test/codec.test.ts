import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertJsonSerializable, jsonCodec } from '../src/index.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

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

  it('sorts object keys at every depth and keeps non-ASCII as UTF-8', () => {
    expect(text(jsonCodec.encode({ b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
    expect(text(jsonCodec.encode({ z: { y: 1, x: [{ d: 1, c: 2 }] }, a: 'é' }))).toBe('{"a":"é","z":{"x":[{"c":2,"d":1}],"y":1}}');
    expect(Array.from(jsonCodec.encode('é'))).toEqual([0x22, 0xc3, 0xa9, 0x22]);
  });

  it('sorts integer-like keys as strings, like Python sort_keys', () => {
    expect(text(jsonCodec.encode({ 9: 'a', 10: 'b', x: { b: 1, a: 2 } }))).toBe('{"10":"b","9":"a","x":{"a":2,"b":1}}');
  });

  it('an own "__proto__" key next to other objects round-trips exactly (no inherited accessor leaks in)', () => {
    const value = JSON.parse('{"":{},"`":"","__proto__":[],"z":{"b":1,"a":[{}]}}') as Record<string, unknown>;
    expect(text(jsonCodec.encode(value))).toBe('{"":{},"__proto__":[],"`":"","z":{"a":[{}],"b":1}}');
    expect(jsonCodec.decode(jsonCodec.encode(value))).toEqual(value);
  });

  it('round-trips objects with __proto__ keys at any depth (property)', () => {
    const withProto = fc.dictionary(fc.constantFrom('__proto__', 'a', 'b', ''), fc.jsonValue(), { maxKeys: 4 });
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
      fc.property(fc.jsonValue(), (value) => {
        // JSON itself cannot tell -0 from 0; compare through a JSON round trip.
        expect(jsonCodec.decode(jsonCodec.encode(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: key insertion order never changes the bytes (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(jsonCodec.encode(reversed)).toEqual(jsonCodec.encode(obj));
      }),
      { numRuns: 200 },
    );
  });
});
