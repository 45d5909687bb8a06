import { Buffer } from 'node:buffer';
import { JsonWriter, deserializationError, parseJsonBytes, quote, utf8Bytes, type Codec } from './codec.js';

/**
 * The rich codec's text: JSON in which each value JSON cannot hold is a tag object
 * `{"\u0000":"<kind>","v":<payload>}`. An own key of the caller's that starts with U+0000 gets one
 * more U+0000 in front, so a tag can never be confused with data. The first byte says whether the
 * text holds any tag or escaped key: without one, decoding is exactly `JSON.parse`.
 */
const PLAIN = 0x00;
const TAGGED = 0x01;
const TAG = '\u0000';
const TAG_OPEN = '{"\\u0000":"';

/** Typed-array kinds by prototype, and back. `Buffer` comes back as a `Buffer`, `Uint8Array` as a `Uint8Array`. */
const VIEW_TYPES = {
  Buffer,
  Uint8Array,
  Uint8ClampedArray,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type ViewKind = keyof typeof VIEW_TYPES;
const VIEW_KIND_BY_PROTO = new Map<unknown, ViewKind>(Object.entries(VIEW_TYPES).map(([kind, ctor]) => [ctor.prototype, kind as ViewKind]));
const SPECIAL_NUMBERS: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY, '-0': -0 };

class RichWriter extends JsonWriter {
  tagged = false;

  constructor() {
    super(false);
    this.keepUndefinedMembers = true;
    this.checkNulKeys = true;
    this.refusalPrefix = 'Value cannot be stored by the rich codec';
  }

  private tag(kind: string, payload?: string): string {
    this.tagged = true;
    return payload === undefined ? `${TAG_OPEN}${kind}"}` : `${TAG_OPEN}${kind}","v":${payload}}`;
  }

  protected override writeSpecialNumber(value: number): string {
    return this.tag('n', quote(Object.is(value, -0) ? '-0' : String(value)));
  }

  protected override writeUndefined(): string {
    return this.tag('u');
  }

  protected override writeBigInt(value: bigint): string {
    return this.tag('b', quote(value.toString()));
  }

  protected override writeKey(key: string): string {
    this.tagged = true;
    return quote(TAG + key);
  }

  protected override writeOtherObject(value: object, proto: unknown): string {
    if (proto === Date.prototype) {
      this.assertNoOwnMembers(value);
      const time = (value as Date).getTime();
      return this.tag('D', Number.isNaN(time) ? 'null' : String(time));
    }
    if (proto === Map.prototype) {
      this.assertNoOwnMembers(value);
      return this.tag('M', this.writeSequence(value, (value as Map<unknown, unknown>).entries(), true));
    }
    if (proto === Set.prototype) {
      this.assertNoOwnMembers(value);
      return this.tag('S', this.writeSequence(value, (value as Set<unknown>).values(), false));
    }
    const view = VIEW_KIND_BY_PROTO.get(proto);
    if (view !== undefined) {
      const bytes = value as ArrayBufferView;
      return this.tag(view, `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`);
    }
    return this.refuse(value, 'is not a plain object, array, Date, Map, Set or typed array');
  }

  /** Map entries as a flat `[k0, v0, k1, v1, …]` array, Set members as an array. */
  private writeSequence(owner: object, items: Iterable<unknown>, pairs: boolean): string {
    this.enter(owner);
    let out = '[';
    let i = 0;
    for (const item of items) {
      this.segments.push(i);
      if (pairs) {
        const [k, v] = item as [unknown, unknown];
        out += `${i === 0 ? '' : ','}${this.write(k)},${this.write(v)}`;
      } else {
        out += `${i === 0 ? '' : ','}${this.write(item)}`;
      }
      this.segments.pop();
      i++;
    }
    this.leave();
    return `${out}]`;
  }

  private assertNoOwnMembers(value: object): void {
    if (Reflect.ownKeys(value).length > 0) this.refuse(value, 'has own properties, which would be lost');
  }
}

function corrupt(bytes: Uint8Array, what: string): never {
  throw deserializationError(`Stored bytes are not valid rich-codec data (${what})`, bytes, what);
}

/** Turns tag objects back into values and unescapes keys, in place where the shape allows (keeps key order). */
function revive(node: unknown, bytes: Uint8Array): unknown {
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = revive(node[i], bytes);
    return node;
  }
  const record = node as Record<string, unknown>;
  if (Object.hasOwn(record, TAG)) return reviveTag(record, bytes);
  const keys = Object.keys(record);
  if (!keys.some((key) => key.charCodeAt(0) === 0)) {
    // An own `__proto__` member (JSON.parse makes one) shadows the accessor, so assignment stays data.
    for (const key of keys) record[key] = revive(record[key], bytes);
    return record;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === TAG) corrupt(bytes, 'unescaped tag key');
    const name = key.charCodeAt(0) === 0 ? key.slice(1) : key;
    Object.defineProperty(out, name, { value: revive(record[key], bytes), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function reviveTag(node: Record<string, unknown>, bytes: Uint8Array): unknown {
  const kind = node[TAG];
  const payload = node.v;
  if (Object.keys(node).length !== (payload === undefined ? 1 : 2)) corrupt(bytes, 'malformed tag');
  switch (kind) {
    case 'u':
      return undefined;
    case 'n':
      if (typeof payload === 'string' && Object.hasOwn(SPECIAL_NUMBERS, payload)) return SPECIAL_NUMBERS[payload];
      return corrupt(bytes, 'bad number tag');
    case 'b':
      if (typeof payload === 'string' && /^-?\d+$/.test(payload)) return BigInt(payload);
      return corrupt(bytes, 'bad bigint tag');
    case 'D':
      if (payload === null || (typeof payload === 'number' && Number.isFinite(payload))) return new Date(payload ?? Number.NaN);
      return corrupt(bytes, 'bad date tag');
    case 'M': {
      if (!Array.isArray(payload) || payload.length % 2 !== 0) return corrupt(bytes, 'bad map tag');
      const map = new Map<unknown, unknown>();
      for (let i = 0; i < payload.length; i += 2) map.set(revive(payload[i], bytes), revive(payload[i + 1], bytes));
      return map;
    }
    case 'S':
      if (!Array.isArray(payload)) return corrupt(bytes, 'bad set tag');
      return new Set(payload.map((item) => revive(item, bytes)));
    default:
      if (typeof kind === 'string' && typeof payload === 'string' && Object.hasOwn(VIEW_TYPES, kind)) return reviveView(kind as ViewKind, payload, bytes);
      return corrupt(bytes, 'unknown tag');
  }
}

function reviveView(kind: ViewKind, base64: string, bytes: Uint8Array): ArrayBufferView {
  const data = Buffer.from(base64, 'base64');
  if (data.toString('base64') !== base64) corrupt(bytes, 'bad base64');
  if (kind === 'Buffer') return data;
  const Ctor = VIEW_TYPES[kind];
  if (data.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) corrupt(bytes, 'bad typed array length');
  const out = new Ctor(data.byteLength / Ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(data);
  return out;
}

/**
 * The opt-in rich codec (id `0x02`, `rich`): everything {@link jsonCodec} stores, plus `Date`
 * (invalid dates too), `BigInt`, `Map` and `Set` (insertion order kept, any storable keys),
 * `Buffer`, `Uint8Array` and the other typed arrays (same class back, platform byte order),
 * `undefined` (members, array items, top level), `NaN`, `±Infinity` and `-0`. Object key order is
 * kept at every depth; each property is read once. Anything it cannot round-trip exactly — class
 * instances, functions, symbols, symbol keys, cycles, sparse arrays, a Date/Map/Set carrying own
 * properties, nesting deeper than `MAX_JSON_DEPTH` — is a `ValidationError` `SERIALIZATION_ERROR`
 * before anything is stored; malformed bytes are a `DESERIALIZATION_ERROR`. A value referenced
 * twice comes back as two equal copies. Plain JSON data costs what `jsonCodec` costs. Readers that
 * only know JSON (Python) must treat its entries as a miss: its id tells them apart.
 */
export const richCodec: Codec = Object.freeze({
  id: 0x02,
  name: 'rich',
  encode(value: unknown): Uint8Array {
    const writer = new RichWriter();
    const text = writer.write(value);
    const out = utf8Bytes(` ${text}`);
    out[0] = writer.tagged ? TAGGED : PLAIN;
    return out;
  },
  decode(bytes: Uint8Array): unknown {
    const marker = bytes[0];
    if (marker !== PLAIN && marker !== TAGGED) return corrupt(bytes, 'unknown marker');
    const parsed = parseJsonBytes(bytes.subarray(1));
    return marker === PLAIN ? parsed : revive(parsed, bytes);
  },
});
