import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EncryptedCacheLayer, Fernet, generateFernetKey } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';

const SECRET = 'TOP-SECRET-PLAINTEXT-4242';

/** Every textual form of a key that could leak: as given, raw halves in hex and base64. */
function keyForms(key: string): string[] {
  const raw = Buffer.from(key, 'base64');
  return [key, key.replace(/=$/, ''), raw.toString('hex'), raw.subarray(0, 16).toString('hex'), raw.subarray(16).toString('hex'), raw.subarray(0, 16).toString('base64url'), raw.subarray(16).toString('base64url').slice(0, 20)];
}

function everyFormOf(error: unknown): string {
  const e = error as { message: string; context: unknown; toJSON(): unknown };
  return [e.message, JSON.stringify(e.context), JSON.stringify(e.toJSON()), inspect(error, { depth: 10, showHidden: true })].join('\n');
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('no key or plaintext in errors, logs, inspect or JSON', () => {
  it('failures of every kind keep keys and plaintext out of messages, context, cause chains and logs', () => {
    const key = generateFernetKey();
    const previous = generateFernetKey();
    const logger = recordingLogger();
    const layer = new EncryptedCacheLayer({ encryptionKey: key, previousKeys: [previous], logger, slowEncryptWarnMs: 0, slowDecryptWarnMs: 0 });
    const fallback = new EncryptedCacheLayer({ encryptionKey: key, allowPlaintextFallback: true, logger });
    const disabled = new EncryptedCacheLayer({ encryptionKey: null, logger });
    const other = new EncryptedCacheLayer({ encryptionKey: generateFernetKey(), logger });
    const badKey = `${SECRET}${'x'.repeat(44 - SECRET.length - 1)}=`;

    const token = layer.encryptCacheData({ password: SECRET });
    expect(layer.decryptCacheData(token)).toEqual({ password: SECRET });
    const errors = [
      caught(() => new EncryptedCacheLayer({ encryptionKey: badKey, logger })),
      caught(() => new EncryptedCacheLayer({ encryptionKey: key, previousKeys: [badKey], logger })),
      caught(() => new Fernet(badKey)),
      caught(() => layer.encryptCacheData({ password: SECRET, when: new Date(0) })),
      caught(() => layer.encryptCacheData([SECRET, () => SECRET])),
      caught(() => other.decryptCacheData(token)),
      caught(() => other.decryptBytes(token)),
      caught(() => fallback.decryptCacheData(`{"password": ${SECRET}`)),
      caught(() => disabled.decryptCacheData(`[${SECRET}`)),
      caught(() => layer.decryptCacheData(new Fernet(key).encrypt(`not json ${SECRET}`))),
      caught(() => new Fernet(key).decrypt(token.subarray(0, 80))),
    ];
    const forbidden = [SECRET, badKey, ...keyForms(key), ...keyForms(previous)];
    for (const error of errors) {
      const text = everyFormOf(error);
      for (const secret of forbidden) expect(text).not.toContain(secret);
    }
    expect(logger.lines.length).toBeGreaterThan(5);
    const logs = logger.text();
    for (const secret of forbidden) expect(logs).not.toContain(secret);
  });

  it('inspect and JSON.stringify of a layer show configuration only', () => {
    const key = generateFernetKey();
    const previous = generateFernetKey();
    const layer = new EncryptedCacheLayer({ encryptionKey: key, previousKeys: [previous], logger: recordingLogger() });
    const shown = [inspect(layer), inspect(layer, { showHidden: true, depth: 10 }), JSON.stringify(layer), String(Object.keys(layer))].join('\n');
    for (const secret of [...keyForms(key), ...keyForms(previous)]) expect(shown).not.toContain(secret);
    expect(inspect(layer)).toBe('EncryptedCacheLayer { isEnabled: true, previousKeys: 1, performanceMonitoring: true }');
    expect(JSON.parse(JSON.stringify(layer))).toEqual({ performanceMonitoring: true });
  });
});
