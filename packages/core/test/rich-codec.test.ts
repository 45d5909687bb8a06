import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, jsonCodec } from '../src/index.js';
import { richCodec } from '../src/rich-codec.js';

/**
 * An exact description of a value: types (Buffer vs Uint8Array, Map vs object), key order,
 * -0, NaN, undefined members and typed-array bytes all show, so equal descriptions mean an exact
 * round trip (not just `toEqual`, which ignores several of these).
 */
function exact(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(exact).join(',')}]`;
  const proto = Object.getPrototypeOf(value) as { constructor: { name: string } } | null;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof Map) return `Map{${[...value].map(([k, v]) => `${exact(k)}=>${exact(v)}`).join(',')}}`;
  if (value instanceof Set) return `Set{${[...value].map(exact).join(',')}}`;
  if (ArrayBuffer.isView(value)) return `${proto?.constructor.name}(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')})`;
  return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${exact((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

const roundTrip = (value: unknown): unknown => richCodec.decode(richCodec.encode(value));

const leaf = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  fc.uint8Array({ maxLength: 16 }),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes)),
  fc.int16Array({ maxLength: 8 }),
  fc.uint32Array({ maxLength: 8 }),
  fc.float32Array({ maxLength: 8 }),
  fc.float64Array({ maxLength: 8 }),
  fc.bigInt64Array({ maxLength: 4 }),
);
const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', '\u0000', '\u0000v', 'v', ''), fc.string().map((s) => `\u0000${s}`));
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 5 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
    fc.array(fc.tuple(tie('tree'), tie('tree')), { maxLength: 4 }).map((entries) => new Map(entries)),
    fc.array(tie('tree'), { maxLength: 4 }).map((items) => new Set(items)),
  ),
}));

function refusal(value: unknown): { name?: string; code?: string; context?: Record<string, unknown>; message?: string } {
  try {
    richCodec.encode(value);
  } catch (e) {
    return e as { name: string; code: string; context: Record<string, unknown>; message: string };
  }
  throw new Error('expected encode to throw');
}

describe('richCodec', () => {
  it('has its own codec id (0x02, rich), distinct from the JSON codec', () => {
    expect(richCodec.id).toBe(2);
    expect(richCodec.name).toBe('rich');
    expect(richCodec.id).not.toBe(jsonCodec.id);
  });

  it('round-trips any mix of Date, BigInt, Map, Set, typed arrays, Buffer, undefined, -0, NaN and JSON data exactly (property)', () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(exact(roundTrip(value))).toBe(exact(value));
      }),
      { numRuns: 500 },
    );
  });

  it('plain JSON data is written as a marker byte plus exactly JSON.stringify text, and decodes like JSON.parse (property)', () => {
    // Keys starting with U+0000 are escaped by design (see the key generator above), so they are not plain data here.
    const escapedKey = (v: unknown): boolean =>
      typeof v === 'object' && v !== null && (Array.isArray(v) ? v.some(escapedKey) : Object.entries(v).some(([k, x]) => k.startsWith('\u0000') || escapedKey(x)));
    const json = fc
      .jsonValue({ stringUnit: 'binary' })
      .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
      .filter((v) => !escapedKey(v));
    fc.assert(
      fc.property(json, (value) => {
        const bytes = richCodec.encode(value);
        expect(bytes[0]).toBe(0);
        expect(new TextDecoder().decode(bytes.subarray(1))).toBe(JSON.stringify(value));
        expect(exact(richCodec.decode(bytes))).toBe(exact(value));
      }),
      { numRuns: 300 },
    );
  });

  it('brings back the same classes and keeps insertion order of objects, Maps and Sets', () => {
    const value = {
      z: new Date('2026-12-06T03:00:00.000Z'),
      a: 12345678901234567890123n,
      m: new Map<unknown, unknown>([['b', 1], [{ k: 1 }, [2]], [3n, new Set(['y', 'x'])]]),
      buf: Buffer.from('héllo'),
      u8: new Uint8Array([1, 2, 3]),
      f64: new Float64Array([0.5, -0, Number.NaN]).subarray(1),
      missing: undefined,
      list: [undefined, Number.NEGATIVE_INFINITY, -0],
      bad: new Date(Number.NaN),
    };
    const back = roundTrip(value) as typeof value;
    expect(Object.keys(back)).toEqual(Object.keys(value));
    expect(back.z).toBeInstanceOf(Date);
    expect(back.z.toISOString()).toBe('2026-12-06T03:00:00.000Z');
    expect(back.a).toBe(12345678901234567890123n);
    expect([...back.m.keys()]).toEqual(['b', { k: 1 }, 3n]);
    expect(Buffer.isBuffer(back.buf)).toBe(true);
    expect(Buffer.isBuffer(back.u8)).toBe(false);
    expect(Object.getPrototypeOf(back.u8)).toBe(Uint8Array.prototype);
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect(back.f64.length).toBe(2);
    expect('missing' in back).toBe(true);
    expect(exact(back)).toBe(exact(value));
  });

  it('a caller key that looks like a tag stays data', () => {
    const value = JSON.parse('{"\\u0000":"D","v":0,"__proto__":{"\\u0000u":1}}') as unknown;
    expect(exact(roundTrip(value))).toBe(exact(value));
    expect(Object.getPrototypeOf(roundTrip(value))).toBe(Object.prototype);
  });

  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const cyclicMap = new Map<string, unknown>();
  cyclicMap.set('me', cyclicMap);
  class Point {
    constructor(readonly x: number) {}
  }
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const tagged = Object.assign(new Map(), { extra: 1 });
  it.each([
    ['a function', { f: () => 1 }, '$.f', 'function'],
    ['a symbol', [Symbol('x')], '$[0]', 'symbol'],
    ['a class instance', { p: new Point(1) }, '$.p', 'Point'],
    ['an ArrayBuffer', { b: new ArrayBuffer(2) }, '$.b', 'ArrayBuffer'],
    ['a DataView', { d: new DataView(new ArrayBuffer(2)) }, '$.d', 'DataView'],
    ['a WeakMap', new WeakMap(), '$', 'WeakMap'],
    ['a cycle', cyclic, '$.self', 'Object'],
    ['a cycle through a Map', cyclicMap, '$[0]', 'Map'],
    ['a sparse array', { list: sparse }, '$.list[1]', 'undefined'],
    ['a Map with its own properties', { m: tagged }, '$.m', 'Map'],
    ['a symbol-keyed property', { [Symbol('k')]: 1 }, '$', 'Object'],
  ])('refuses %s with a ValidationError SERIALIZATION_ERROR at the right path', (_label, value, path, dataType) => {
    const e = refusal(value);
    expect(e.name).toBe('ValidationError');
    expect(e.code).toBe('SERIALIZATION_ERROR');
    expect(e.context).toMatchObject({ error_type: 'serialization_error', path, data_type: dataType });
    expect(e.message).toMatch(/^Value cannot be stored by the rich codec/);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, Maps and Sets included, with a ValidationError`, () => {
    let value: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH + 1; i++) value = i % 2 === 0 ? new Set([value]) : new Map([['k', value]]);
    expect(refusal(value)).toMatchObject({ name: 'ValidationError', code: 'SERIALIZATION_ERROR' });
  });

  it.each([
    ['an unknown marker byte', new Uint8Array([0x07, 0x31])],
    ['empty input', new Uint8Array()],
    ['an unknown tag', new TextEncoder().encode('\u0001{"\\u0000":"Q","v":1}')],
    ['a malformed BigInt', new TextEncoder().encode('\u0001{"\\u0000":"b","v":"1.5"}')],
    ['a Map with an odd entry list', new TextEncoder().encode('\u0001{"\\u0000":"M","v":[1]}')],
    ['a tag with extra members', new TextEncoder().encode('\u0001{"\\u0000":"u","x":1,"v":2}')],
    ['bad base64', new TextEncoder().encode('\u0001{"\\u0000":"Uint8Array","v":"!!"}')],
    ['a typed array of the wrong length', new TextEncoder().encode('\u0001{"\\u0000":"Uint32Array","v":"AAA="}')],
    ['invalid JSON', new TextEncoder().encode('\u0000{bad')],
  ])('decode of %s throws DESERIALIZATION_ERROR and quotes nothing', (_label, bytes) => {
    expect(() => richCodec.decode(bytes)).toThrow(expect.objectContaining({ name: 'ValidationError', code: 'DESERIALIZATION_ERROR' }));
  });

  it('reads each property once, getters included', () => {
    let reads = 0;
    const value = {
      get when(): Date | number {
        reads++;
        return reads === 1 ? new Date(5) : Number.NaN;
      },
    };
    expect((roundTrip(value) as { when: Date }).when.getTime()).toBe(5);
    expect(reads).toBe(1);
  });
});
