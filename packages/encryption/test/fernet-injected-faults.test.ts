import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedCacheLayer, Fernet, InvalidTokenError, generateFernetKey } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';
import { thrown } from './thrown.js';

// node:crypto is wrapped (real implementations behind vi.fn spies) so these tests can observe
// which primitives run and inject faults into AES contexts. Everything else is real.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    createCipheriv: vi.fn(actual.createCipheriv),
    createDecipheriv: vi.fn(actual.createDecipheriv),
    timingSafeEqual: vi.fn(actual.timingSafeEqual),
  };
});

const real = await vi.importActual<typeof import('node:crypto')>('node:crypto');

afterEach(() => {
  vi.mocked(crypto.createCipheriv).mockImplementation(real.createCipheriv);
  vi.mocked(crypto.createDecipheriv).mockImplementation(real.createDecipheriv);
  vi.clearAllMocks();
});

/** Reference token check: the ciphertext opens with a fresh one-shot decipher to `expected`. */
function opensTo(key: string, token: Buffer, expected: Buffer): boolean {
  const raw = Buffer.from(token.toString('latin1'), 'base64');
  const decipher = real.createDecipheriv('aes-128-cbc', Buffer.from(key, 'base64url').subarray(16), raw.subarray(9, 25));
  return Buffer.concat([decipher.update(raw.subarray(25, raw.length - 32)), decipher.final()]).equals(expected);
}

/**
 * The next AES context created works for one update(), then on the second consumes the data
 * (its chaining state moves on) and throws: a context left in an unknown state.
 */
function injectContextFault(kind: 'createCipheriv' | 'createDecipheriv'): void {
  const spy = vi.mocked(crypto[kind]) as unknown as { mockImplementationOnce(impl: (...args: unknown[]) => unknown): void };
  spy.mockImplementationOnce((...args: unknown[]) => {
    const context = (real[kind] as (...a: unknown[]) => crypto.Cipher)(...args);
    const update = context.update.bind(context) as (data: Buffer) => Buffer;
    let calls = 0;
    context.update = ((data: Buffer) => {
      const out = update(data);
      if (++calls === 2) throw new Error('injected AES failure');
      return out;
    }) as crypto.Cipher['update'];
    return context;
  });
}

describe('Fernet order of checks (node:crypto observed through spies)', () => {
  it('a token with a bad MAC is refused by timingSafeEqual before any AES decryption context exists', () => {
    const key = generateFernetKey();
    const token = new Fernet(key).encrypt('payload');
    const raw = Buffer.from(token.toString('latin1'), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    const tampered = raw.toString('base64url') + ['', '==', '='][raw.length % 3];
    const fresh = new Fernet(key);
    vi.clearAllMocks();
    expect(() => fresh.decrypt(tampered)).toThrow(InvalidTokenError);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(crypto.createDecipheriv).not.toHaveBeenCalled();
    expect(fresh.decrypt(token).toString()).toBe('payload');
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(2);
    expect(crypto.createDecipheriv).toHaveBeenCalledTimes(1);
  });
});

describe('Fernet recovers from an AES context failure (injected fault)', () => {
  it('encrypt: the failure surfaces, the context is replaced, and the next tokens are exact', () => {
    const key = generateFernetKey();
    const fernet = new Fernet(key);
    injectContextFault('createCipheriv');
    const first = fernet.encrypt('first');
    expect(() => fernet.encrypt('second')).toThrow('injected AES failure');
    const tokens = ['third', 'fourth', 'x'.repeat(100)].map((text) => [text, fernet.encrypt(text)] as const);
    for (const [text, token] of [['first', first] as const, ...tokens]) {
      expect(opensTo(key, token, Buffer.from(text))).toBe(true);
      expect(new Fernet(key).decrypt(token).toString()).toBe(text);
    }
    expect(crypto.createCipheriv).toHaveBeenCalledTimes(2);
  });

  it('decrypt: the failure surfaces, the context is replaced, and later tokens decrypt exactly', () => {
    const key = generateFernetKey();
    const tokens = ['one', 'two', 'three', 'four'].map((t) => new Fernet(key).encrypt(t));
    const reader = new Fernet(key);
    injectContextFault('createDecipheriv');
    expect(reader.decrypt(tokens[0] as Buffer).toString()).toBe('one');
    expect(() => reader.decrypt(tokens[1] as Buffer)).toThrow('injected AES failure');
    expect(tokens.map((t) => reader.decrypt(t).toString())).toEqual(['one', 'two', 'three', 'four']);
    expect(crypto.createDecipheriv).toHaveBeenCalledTimes(2);
  });

  it('layer: an AES failure inside decryptBytes is DECRYPTION_FAILURE with an error log, not a wrong plaintext', () => {
    const key = generateFernetKey();
    const writer = new Fernet(key);
    const logger = recordingLogger();
    injectContextFault('createDecipheriv'); // the constructor's probe is the context's first update
    const layer = new EncryptedCacheLayer({ encryptionKey: key, logger });
    const token = writer.encrypt(Buffer.from('value'));
    expect(thrown(() => layer.decryptBytes(token))).toMatchObject({
      code: 'DECRYPTION_FAILURE',
      context: { original_error: 'Error: injected AES failure', data_size: token.length },
    });
    expect(logger.at('error')).toHaveLength(1);
    expect(layer.decryptBytes(token).toString()).toBe('value');
    expect(layer.getPerformanceStats()).toMatchObject({ decryptionOperations: 1 });
  });
});
