import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quote } from '../src/codec.js';
import { jsonCodec, richCodec, toCanonicalJson } from '../src/index.js';

// The JSON writer skips work for the common case (strings that need no escape, scalar members
// written without path bookkeeping). These properties pin its output to JSON.stringify byte for
// byte, and its refusals to one exact message per bad value wherever that value sits.

/** Code units JSON writes as they are, range edges included. */
const verbatimUnit = fc.constantFrom('a', 'z', '0', '-', '_', ' ', '!', '#', '[', ']', '~', '\u007f', 'é', '€', '\u2028', '\ud7ff', '\ue000', '\uffff');
/** Code units JSON escapes (or, for surrogates, that send a string to `JSON.stringify`), a pair, and any unit at all. */
const specialUnit = fc.oneof(
  fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude80'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);
const codeUnit = fc.oneof({ weight: 12, arbitrary: verbatimUnit }, { weight: 1, arbitrary: specialUnit });
/**
 * Strings of any length up to a few hundred units: mixed ones, verbatim ones, and verbatim ones
 * with exactly one special unit somewhere (so that one unit alone decides the text).
 */
const anyString = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 40, size: 'max' }),
  fc.string({ unit: verbatimUnit, maxLength: 300, size: 'max' }),
  fc
    .tuple(fc.string({ unit: verbatimUnit, maxLength: 300, size: 'max' }), specialUnit, fc.nat())
    .map(([base, unit, at]) => `${base.slice(0, at % (base.length + 1))}${unit}${base.slice(at % (base.length + 1))}`),
);
/** Any JSON value whose strings (keys included) hold any code unit; -0 normalised to 0 as JSON does. */
const jsonData = fc.jsonValue({ stringUnit: codeUnit, maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function refusal(value: unknown): { message: string; code?: string; context?: Record<string, unknown> } {
  try {
    jsonCodec.encode(value);
  } catch (e) {
    return e as { message: string; code: string; context: Record<string, unknown> };
  }
  throw new Error('expected encode to throw');
}

class Point {
  constructor(readonly x: number) {}
}
class List extends Array<number> {}

/** Bad values, each fresh: [value, data_type, reason, path suffix after the member's own path]. */
const badValues: ReadonlyArray<() => [unknown, string, string, string]> = [
  () => [() => 1, 'function', 'cannot be represented in JSON', ''],
  () => [Symbol('s'), 'symbol', 'cannot be represented in JSON', ''],
  () => [10n, 'bigint', 'cannot be represented in JSON', ''],
  () => [Number.NaN, 'NaN', 'is not a finite number', ''],
  () => [Number.POSITIVE_INFINITY, 'Infinity', 'is not a finite number', ''],
  () => [Number.NEGATIVE_INFINITY, '-Infinity', 'is not a finite number', ''],
  () => [-0, '-0', 'is negative zero, which JSON cannot tell from 0', ''],
  () => [new Date(0), 'Date', 'is not a plain object', ''],
  () => [new Map([[1, 2]]), 'Map', 'is not a plain object', ''],
  () => [new Point(1), 'Point', 'is not a plain object', ''],
  () => [List.from([1]), 'List', 'is an array subclass', ''],
  () => [{ a: 1, [Symbol('k')]: 2 }, 'Object', 'has symbol-keyed properties', ''],
  () => [{ ok: 1, toJSON: () => 'x' }, 'function', 'cannot be represented in JSON', '.toJSON'],
  () => [[1, 'two', () => 3], 'function', 'cannot be represented in JSON', '[2]'],
];

type Step = string | number;
const step: fc.Arbitrary<Step> = fc.oneof(fc.nat({ max: 3 }), fc.constantFrom('a', 'b c', '__proto__', '', 'é', '$x', '1'), fc.string({ unit: codeUnit, maxLength: 6 })).filter(
  (s) => typeof s === 'number' || !/^(before|after)\d$/.test(s),
);
const scalar = fc.oneof(anyString, fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)), fc.boolean(), fc.constant(null));

/** `leaf` at the end of `steps`, each container holding scalar siblings before and after it. */
function nest(steps: readonly Step[], leaf: unknown, before: unknown[], after: unknown[]): unknown {
  let value = leaf;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as Step;
    if (typeof s === 'number') {
      value = [...before.slice(0, s), ...Array.from({ length: Math.max(0, s - before.length) }, () => 0), value, ...after];
    } else {
      const container: Record<string, unknown> = {};
      before.forEach((v, j) => Object.defineProperty(container, `before${j}`, { value: v, enumerable: true }));
      Object.defineProperty(container, s, { value, enumerable: true, writable: true, configurable: true });
      after.forEach((v, j) => Object.defineProperty(container, `after${j}`, { value: v, enumerable: true }));
      value = container;
    }
  }
  return value;
}

const pathOf = (steps: readonly Step[]): string =>
  `$${steps.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('')}`;

describe('JSON writer: output is JSON.stringify byte for byte', () => {
  it('quote(s) is JSON.stringify(s) for strings of any code units, short and long, lone surrogates included (property)', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(quote(s)).toBe(JSON.stringify(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('jsonCodec writes JSON.stringify of any JSON value with arbitrary strings and keys (property)', () => {
    fc.assert(
      fc.property(jsonData, (value) => {
        expect(text(jsonCodec.encode(value))).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('jsonCodec writes JSON.stringify of objects and arrays of arbitrary strings, keys included (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(anyString, fc.oneof(anyString, fc.array(anyString, { maxLength: 4 }))), (value) => {
        expect(text(jsonCodec.encode(value))).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('the rich codec writes plain JSON data (no key starting with U+0000) as jsonCodec does, after its marker byte (property)', () => {
    fc.assert(
      fc.property(jsonData, (value) => {
        const rich = richCodec.encode(value);
        if (rich[0] === 0x00) expect(text(rich.subarray(1))).toBe(JSON.stringify(value));
        expect(richCodec.decode(rich)).toEqual(value);
      }),
      { numRuns: 200 },
    );
  });

  it('toCanonicalJson writes the same data as JSON.stringify, and is a fixed point (property)', () => {
    fc.assert(
      fc.property(jsonData, (value) => {
        const canonical = toCanonicalJson(value);
        expect(JSON.parse(canonical)).toEqual(value);
        expect(toCanonicalJson(JSON.parse(canonical))).toBe(canonical);
      }),
      { numRuns: 200 },
    );
  });
});

describe('JSON writer: every refusal names the bad value, its path and the reason', () => {
  it('refuses each bad value wherever it sits, among any scalar siblings, with one exact message (property)', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 5 }),
        fc.nat({ max: badValues.length - 1 }),
        fc.array(scalar, { maxLength: 3 }),
        fc.array(scalar, { maxLength: 3 }),
        (steps, which, before, after) => {
          const [bad, dataType, reason, suffix] = (badValues[which] as () => [unknown, string, string, string])();
          const path = `${pathOf(steps)}${suffix}`;
          const e = refusal(nest(steps, bad, before, after));
          const originalError = `${dataType} at ${path} ${reason}`;
          expect(e.message).toBe(`Value is not JSON-serializable: ${originalError}`);
          expect(e.code).toBe('SERIALIZATION_ERROR');
          expect(e.context).toEqual({ error_type: 'serialization_error', data_type: dataType, path, original_error: originalError });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses undefined and holes inside arrays but omits undefined object members, at any position (property)', () => {
    fc.assert(
      fc.property(fc.array(scalar, { maxLength: 4 }), fc.array(scalar, { maxLength: 4 }), (before, after) => {
        const at = before.length;
        expect(refusal([...before, undefined, ...after]).context).toMatchObject({ path: `$[${at}]`, data_type: 'undefined' });
        const holey: unknown[] = [...before];
        holey.length = at + 1 + after.length;
        after.forEach((v, j) => (holey[at + 1 + j] = v));
        expect(refusal(holey).message).toBe(`Value is not JSON-serializable: undefined at $[${at}] is a hole in a sparse array`);
        const object = Object.fromEntries([...before.map((v, j) => [`b${j}`, v]), ['gone', undefined], ...after.map((v, j) => [`a${j}`, v])]);
        expect(text(jsonCodec.encode(object))).toBe(JSON.stringify(object));
      }),
      { numRuns: 300 },
    );
  });
});
