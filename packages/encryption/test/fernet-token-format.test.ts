import { inspect } from 'node:util';
import { ManualClock } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { Fernet, InvalidTokenError, generateFernetKey } from '../src/index.js';
import { thrown } from './thrown.js';

const KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const SPEC_TOKEN = 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
const T0 = 1_700_000_000;

describe('Fernet keys', () => {
  it('generateFernetKey gives a fresh 44-char padded URL-safe base64 key of 32 bytes every call', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateFernetKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
      expect(Buffer.from(key, 'base64url')).toHaveLength(32);
      expect(() => new Fernet(key)).not.toThrow();
    }
    expect(Fernet.generateKey()).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });

  it('accepts the +/ alphabet and surrounding whitespace, and the variants are the same key', () => {
    const key = 'A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A=';
    const standard = key.replaceAll('-', '+').replaceAll('_', '/');
    const token = new Fernet(key).encrypt('x');
    expect(new Fernet(standard).decrypt(token).toString()).toBe('x');
    expect(new Fernet(`  ${key}\n`).decrypt(token).toString()).toBe('x');
  });

  it.each([
    ['too-short-key', 'too short'],
    ['!'.repeat(44), 'outside the alphabet'],
    [KEY.slice(0, 43), 'unpadded 43 chars'],
    [`${KEY.slice(0, 40)}====`, 'wrong decoded length'],
    [Buffer.alloc(48).toString('base64'), '36 bytes'],
    [`${KEY.slice(0, 42)}f=`, 'non-zero trailing bits'],
    ['A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A-_A/+A=', 'mixed alphabets'],
    ['', 'empty'],
  ])('refuses %o (%s) with ConfigurationError INVALID_ENCRYPTION_KEY that does not echo the key', (key) => {
    const error = thrown(() => new Fernet(key));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_ENCRYPTION_KEY' });
    if (key.length > 0) expect(JSON.stringify({ m: error.message, c: error.context })).not.toContain(key);
  });

  it.each([[null], [undefined], [42], [Buffer.from(KEY)]])('refuses a non-string key %o with INVALID_ENCRYPTION_KEY', (key) => {
    expect(thrown(() => new Fernet(key as unknown as string))).toMatchObject({ code: 'INVALID_ENCRYPTION_KEY' });
  });
});

describe('Fernet token format', () => {
  it('tokens are padded URL-safe base64 of 0x80 ‖ timestamp ‖ IV ‖ ciphertext ‖ HMAC', () => {
    const clock = new ManualClock(T0 * 1000 + 999);
    const fernet = new Fernet(KEY, { clock });
    for (let length = 0; length < 40; length++) {
      const token = fernet.encrypt(Buffer.alloc(length, 7)).toString('ascii');
      expect(token).toMatch(/^[A-Za-z0-9_-]+={0,2}$/);
      expect(token.length % 4).toBe(0);
      const raw = Buffer.from(token, 'base64');
      expect(raw[0]).toBe(0x80);
      expect(Number(raw.readBigUInt64BE(1))).toBe(T0);
      expect(raw.length).toBe(25 + (Math.floor(length / 16) + 1) * 16 + 32);
      expect(fernet.decrypt(token).equals(Buffer.alloc(length, 7))).toBe(true);
    }
  });

  it('every token gets a fresh IV (600 tokens, across IV-pool refills)', () => {
    const fernet = new Fernet(KEY);
    const ivs = new Set(Array.from({ length: 600 }, () => Buffer.from(fernet.encrypt('same').toString('ascii'), 'base64').subarray(9, 25).toString('hex')));
    expect(ivs.size).toBe(600);
  });

  it('an unpadded copy of a valid token is rejected', () => {
    const fernet = new Fernet(KEY);
    const unpadded = SPEC_TOKEN.replace(/=+$/, '');
    expect(unpadded).not.toBe(SPEC_TOKEN);
    expect(() => fernet.decrypt(unpadded)).toThrow(InvalidTokenError);
  });

  it('accepts the token as string or bytes, and in the standard +/ alphabet', () => {
    const fernet = new Fernet(KEY);
    const standard = SPEC_TOKEN.replaceAll('-', '+').replaceAll('_', '/');
    expect(standard).not.toBe(SPEC_TOKEN);
    for (const token of [SPEC_TOKEN, Buffer.from(SPEC_TOKEN), new TextEncoder().encode(SPEC_TOKEN), standard]) {
      expect(fernet.decrypt(token).toString()).toBe('hello');
    }
  });

  it('a token longer than 64 Ki characters (coded piece by piece) round-trips as string, bytes and +/ text; a change in any piece is rejected', () => {
    const fernet = new Fernet(KEY);
    const data = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 7919) % 251));
    const token = fernet.encrypt(data);
    const text = token.toString('latin1');
    expect(text.length).toBeGreaterThan(2 * 64 * 1024);
    expect(text).toMatch(/^[A-Za-z0-9_-]+=*$/);
    expect(Buffer.from(text, 'base64').equals(Buffer.from(text, 'base64url'))).toBe(true);
    for (const form of [token, text, text.replaceAll('-', '+').replaceAll('_', '/')]) expect(fernet.decrypt(form).equals(data)).toBe(true);
    for (const at of [10, 64 * 1024 + 5, 2 * 64 * 1024 + 9]) {
      const changed = Buffer.from(token);
      changed[at] = changed[at] === 65 ? 66 : 65;
      expect(() => fernet.decrypt(changed)).toThrow(InvalidTokenError);
      const padded = `${text.slice(0, at)}=${text.slice(at + 1)}`;
      expect(() => fernet.decrypt(padded)).toThrow(InvalidTokenError);
    }
  });

  it.each([
    ['mixed alphabets', SPEC_TOKEN.replace('_', '/')],
    ['surrounding whitespace', ` ${SPEC_TOKEN}`],
    ['an embedded newline', `${SPEC_TOKEN.slice(0, 40)}\n${SPEC_TOKEN.slice(40)}`],
    ['a byte outside ASCII', `${SPEC_TOKEN.slice(0, -3)}é==`],
    ['too much padding', `${SPEC_TOKEN.slice(0, -4)}A===`],
    ['padding in the middle', `${SPEC_TOKEN.slice(0, 8)}====${SPEC_TOKEN.slice(12)}`],
    ['the empty string', ''],
    ['a wrong version byte', Buffer.from([0x81, ...Buffer.from(SPEC_TOKEN, 'base64').subarray(1)]).toString('base64url') + '=='],
  ])('rejects %s with InvalidTokenError', (_what, token) => {
    expect(() => new Fernet(KEY).decrypt(token)).toThrow(InvalidTokenError);
  });

  it('a token made under another key is rejected (MAC mismatch), and so is extractTimestamp on it', () => {
    const token = new Fernet(generateFernetKey()).encrypt('secret');
    const fernet = new Fernet(KEY);
    expect(() => fernet.decrypt(token)).toThrow(InvalidTokenError);
    expect(() => fernet.extractTimestamp(token)).toThrow(InvalidTokenError);
  });

  it('extractTimestamp returns the stamped seconds of a verified token', () => {
    const fernet = new Fernet(KEY, { clock: new ManualClock(T0 * 1000) });
    expect(fernet.extractTimestamp(fernet.encrypt('x'))).toBe(T0);
    expect(fernet.extractTimestamp(SPEC_TOKEN)).toBe(499162800);
  });

  it.each([
    ['encrypt with a number as data', (f: Fernet) => f.encrypt(42 as unknown as string)],
    ['encrypt with a 15-byte IV', (f: Fernet) => f.encrypt('x', { iv: new Uint8Array(15) })],
    ['encrypt with a fractional currentTime', (f: Fernet) => f.encrypt('x', { currentTime: 1.5 })],
    ['encrypt with a negative currentTime', (f: Fernet) => f.encrypt('x', { currentTime: -1 })],
    ['decrypt with a token that is a number', (f: Fernet) => f.decrypt(7 as unknown as string)],
    ['decrypt with a NaN ttl', (f: Fernet) => f.decrypt(SPEC_TOKEN, { ttl: Number.NaN })],
    ['decrypt with a negative ttl', (f: Fernet) => f.decrypt(SPEC_TOKEN, { ttl: -5 })],
    ['decrypt of a bad token with a bad ttl (arguments are checked first)', (f: Fernet) => f.decrypt('garbage', { ttl: -5 })],
    ['decrypt with a string currentTime', (f: Fernet) => f.decrypt(SPEC_TOKEN, { ttl: 5, currentTime: '1' as unknown as number })],
    ['decrypt with a bad currentTime and no ttl', (f: Fernet) => f.decrypt(SPEC_TOKEN, { currentTime: -1 })],
    ['encrypt with null options', (f: Fernet) => f.encrypt('x', null as unknown as undefined)],
    ['decrypt with null options', (f: Fernet) => f.decrypt(SPEC_TOKEN, null as unknown as undefined)],
    ['decrypt with string options', (f: Fernet) => f.decrypt(SPEC_TOKEN, 'ttl' as unknown as undefined)],
  ])('bad call argument (%s) → ValidationError INVALID_ARGUMENT', (_what, call) => {
    expect(thrown(() => call(new Fernet(KEY)))).toMatchObject({ name: 'ValidationError', code: 'INVALID_ARGUMENT' });
  });
});

describe('Fernet constructor options', () => {
  it.each([
    ['null options', null],
    ['a string as options', 'clock'],
    ['a clock without now()', { clock: {} }],
    ['a null clock', { clock: null }],
  ])('%s → ConfigurationError INVALID_CONFIGURATION naming the clock option', (_what, options) => {
    expect(thrown(() => new Fernet(KEY, options as unknown as undefined))).toMatchObject({
      name: 'ConfigurationError',
      code: 'INVALID_CONFIGURATION',
      context: { option: 'clock' },
    });
  });

  it.each([[Number.NaN], [-1], ['1700000000000']])('a clock whose now() returns %o → INVALID_CONFIGURATION, no token made', (reading) => {
    const fernet = new Fernet(KEY, { clock: { now: () => reading as number } });
    expect(thrown(() => fernet.encrypt('x'))).toMatchObject({ code: 'INVALID_CONFIGURATION', context: { option: 'clock' } });
    expect(thrown(() => fernet.decrypt(SPEC_TOKEN, { ttl: 60 }))).toMatchObject({ code: 'INVALID_CONFIGURATION' });
    expect(fernet.encrypt('x', { currentTime: T0 }).length).toBeGreaterThan(0);
  });
});

describe('Fernet TTL and clock skew (ManualClock injected as the clock)', () => {
  function setup() {
    const clock = new ManualClock(T0 * 1000);
    const fernet = new Fernet(KEY, { clock });
    return { clock, fernet, token: fernet.encrypt('payload') };
  }

  it('without ttl the timestamp is never checked, however old or new the token', () => {
    const { clock, fernet, token } = setup();
    clock.advance(10 * 365 * 86_400_000);
    expect(fernet.decrypt(token).toString()).toBe('payload');
    clock.set(0);
    expect(fernet.decrypt(token).toString()).toBe('payload');
  });

  it('with ttl: valid through timestamp + ttl, rejected one second later', () => {
    const { clock, fernet, token } = setup();
    clock.advance(60_000);
    expect(fernet.decrypt(token, { ttl: 60 }).toString()).toBe('payload');
    clock.advance(999);
    expect(fernet.decrypt(token, { ttl: 60 }).toString()).toBe('payload');
    clock.advance(1);
    expect(() => fernet.decrypt(token, { ttl: 60 })).toThrow(InvalidTokenError);
  });

  it('with ttl: a token up to 60 s in the future is accepted, 61 s is rejected as clock skew', () => {
    const { clock, fernet, token } = setup();
    clock.set((T0 - 60) * 1000);
    expect(fernet.decrypt(token, { ttl: 10 }).toString()).toBe('payload');
    clock.set((T0 - 61) * 1000);
    expect(() => fernet.decrypt(token, { ttl: 10 })).toThrow(InvalidTokenError);
  });

  it('an explicit currentTime overrides the clock for both encrypt and decrypt', () => {
    const { fernet } = setup();
    const token = fernet.encrypt('x', { currentTime: 1000 });
    expect(fernet.extractTimestamp(token)).toBe(1000);
    expect(fernet.decrypt(token, { ttl: 5, currentTime: 1005 }).toString()).toBe('x');
    expect(() => fernet.decrypt(token, { ttl: 5, currentTime: 1006 })).toThrow(InvalidTokenError);
  });
});

describe('Fernet hides its key', () => {
  it('inspect, JSON.stringify, own keys and string conversion never show key material', () => {
    const fernet = new Fernet(KEY);
    const raw = Buffer.from(KEY, 'base64url');
    const shown = [inspect(fernet), inspect(fernet, { showHidden: true, depth: 10 }), JSON.stringify(fernet), String(fernet), `${Object.keys(fernet)}`];
    for (const text of shown) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(raw.subarray(0, 16).toString('hex'));
      expect(text).not.toContain(raw.subarray(16).toString('base64'));
    }
    expect(inspect(fernet)).toBe('Fernet { key: [redacted] }');
    expect(JSON.stringify(fernet)).toBe('{}');
    expect(Reflect.ownKeys(fernet)).toEqual([]);
  });
});
