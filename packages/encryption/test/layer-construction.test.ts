import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EncryptedCacheLayer, Fernet, generateFernetKey, type EncryptedCacheLayerOptions } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';
import { thrown } from './thrown.js';

const KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';

const BAD_KEYS = [
  ['too-short-key', 'too short'],
  ['!'.repeat(44), '44 × "!"'],
  [KEY.slice(0, 43), 'unpadded 43 chars'],
  [Buffer.alloc(24).toString('base64'), 'decodes to 24 bytes'],
] as const;

describe('EncryptedCacheLayer construction with a key', () => {
  it('a generated key and its +/ variant are accepted: enabled, one info line with the lock marker', () => {
    for (const key of [generateFernetKey(), KEY.replaceAll('-', '+').replaceAll('_', '/')]) {
      const logger = recordingLogger();
      const layer = new EncryptedCacheLayer({ encryptionKey: key, logger });
      expect(layer.isEnabled).toBe(true);
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toMatchObject({ level: 'info', message: expect.stringMatching(/^🔒 Cache encryption enabled/) });
    }
  });

  it.each(BAD_KEYS)('%o (%s) → INVALID_ENCRYPTION_KEY with fix steps, error log first, no key anywhere', (key) => {
    const logger = recordingLogger();
    const error = thrown(() => new EncryptedCacheLayer({ encryptionKey: key, logger }));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_ENCRYPTION_KEY' });
    expect(error.context).toMatchObject({ error_type: 'invalid_encryption_key', original_error: expect.stringContaining('Invalid Fernet key') });
    expect(error.context).not.toHaveProperty('key_index');
    const lines = error.message.split('\n');
    expect(lines[0]).toMatch(/ENCRYPTION ERROR: Invalid encryption key/);
    expect(lines[0]).toContain(String(error.context.original_error));
    expect(error.message).toMatch(/To fix this issue:\n1\. .*\n.*node -e[\s\S]*python -c "from cryptography\.fernet import Fernet; print\(Fernet\.generate_key\(\)\.decode\(\)\)"\n2\. .*REDIS_ENCRYPTION_KEY[\s\S]*\n3\. .*EncryptedCacheLayer\.createWithGeneratedKey\(\)/);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.level).toBe('error');
    const everything = JSON.stringify({ message: error.message, context: error.context, logs: logger.lines });
    expect(everything).not.toContain(key);
  });

  it('the Node and Python key commands in the fix steps really print keys this layer accepts', () => {
    const message = thrown(() => new EncryptedCacheLayer({ encryptionKey: 'too-short-key', logger: recordingLogger() })).message;
    const nodeCommand = /node -e ".*"/.exec(message)?.[0];
    const pythonCommand = /python -c ".*"/.exec(message)?.[0];
    expect(nodeCommand).toBeDefined();
    expect(pythonCommand).toBeDefined();
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    for (const command of [nodeCommand as string, (pythonCommand as string).replace(/^python /, '/usr/bin/python3 ')]) {
      const run = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', env });
      expect(run.status, run.stderr).toBe(0);
      const printed = run.stdout.trim();
      expect(printed).toMatch(/^[A-Za-z0-9_-]{43}=$/);
      expect(new EncryptedCacheLayer({ encryptionKey: printed, logger: recordingLogger() }).isEnabled).toBe(true);
    }
  });

  it('a bad previous key is refused the same way, with key_index in the context', () => {
    const logger = recordingLogger();
    const error = thrown(() => new EncryptedCacheLayer({ encryptionKey: KEY, previousKeys: [generateFernetKey(), 'nope'], logger }));
    expect(error).toMatchObject({ code: 'INVALID_ENCRYPTION_KEY', context: { error_type: 'invalid_encryption_key', key_index: 1 } });
    expect(error.message).toContain('previousKeys[1]');
    expect(logger.at('error')).toHaveLength(1);
    expect(logger.at('info')).toHaveLength(0);
  });

  it('a key whose probe round trip fails is refused (injected fault: Fernet.prototype.decrypt returns other bytes)', () => {
    const fault = vi.spyOn(Fernet.prototype, 'decrypt').mockReturnValue(Buffer.from('not the probe'));
    try {
      const error = thrown(() => new EncryptedCacheLayer({ encryptionKey: KEY, logger: recordingLogger() }));
      expect(error).toMatchObject({ code: 'INVALID_ENCRYPTION_KEY', context: { original_error: expect.stringContaining('probe') } });
    } finally {
      fault.mockRestore();
    }
  });

  it('performanceMonitoring defaults to true and is readable', () => {
    expect(new EncryptedCacheLayer({ encryptionKey: KEY, logger: recordingLogger() }).performanceMonitoring).toBe(true);
    expect(new EncryptedCacheLayer({ encryptionKey: KEY, logger: recordingLogger(), performanceMonitoring: false }).performanceMonitoring).toBe(false);
  });
});

describe('EncryptedCacheLayer opt-out and required key', () => {
  it('encryptionKey: null → disabled, exactly one SECURITY WARNING at construction', () => {
    const logger = recordingLogger();
    const layer = new EncryptedCacheLayer({ encryptionKey: null, logger });
    expect(layer.isEnabled).toBe(false);
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.lines;
    expect(line?.level).toBe('warn');
    expect(line?.message).toContain('SECURITY WARNING');
    expect(line?.message).toMatch(/encryption is disabled/);
    expect(line?.message).toMatch(/only .*testing environments/);
    expect(line?.message).toMatch(/production deployments must use encryption/);
  });

  it.each([[undefined], ['']])('encryptionKey %o → ENCRYPTION_KEY_REQUIRED telling to pass a key or null', (encryptionKey) => {
    const error = thrown(() => new EncryptedCacheLayer({ encryptionKey } as unknown as EncryptedCacheLayerOptions));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'ENCRYPTION_KEY_REQUIRED' });
    expect(error.message).toMatch(/key/);
    expect(error.message).toMatch(/null to disable/);
  });

  it.each([
    ['options missing', undefined],
    ['performanceMonitoring not boolean', { encryptionKey: KEY, performanceMonitoring: 'yes' }],
    ['allowPlaintextFallback not boolean', { encryptionKey: KEY, allowPlaintextFallback: 1 }],
    ['slowEncryptWarnMs negative', { encryptionKey: KEY, slowEncryptWarnMs: -1 }],
    ['slowDecryptWarnMs NaN', { encryptionKey: KEY, slowDecryptWarnMs: Number.NaN }],
    ['previousKeys not an array', { encryptionKey: KEY, previousKeys: KEY }],
    ['previousKeys with a null key', { encryptionKey: null, previousKeys: [KEY] }],
    ['logger without methods', { encryptionKey: KEY, logger: {} }],
  ])('bad option (%s) → ConfigurationError INVALID_CONFIGURATION, nothing logged', (_what, options) => {
    const error = thrown(() => new EncryptedCacheLayer(options as unknown as EncryptedCacheLayerOptions));
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'INVALID_CONFIGURATION' });
    expect(error.message).not.toContain(KEY);
  });
});
