import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EncryptedCacheLayer, Fernet, generateFernetKey } from '../src/index.js';
import { recordingLogger } from './recording-logger.js';

/**
 * Real interop with Python's `cryptography.fernet` (Debian's python3-cryptography under
 * /usr/bin/python3; `.ci/run` installs it when missing). Keys, tokens and plaintexts travel on
 * stdin as JSON, never in argv.
 */
const PYTHON = '/usr/bin/python3';

const SCRIPT = `
import base64, json, sys
from cryptography.fernet import Fernet
jobs = json.load(sys.stdin)
out = []
for job in jobs:
    f = Fernet(job["key"].encode()) if "key" in job else None
    if job["op"] == "encrypt":
        data = base64.b64decode(job["data"])
        out.append(f.encrypt(data).decode() if "time" not in job else f.encrypt_at_time(data, job["time"]).decode())
    elif job["op"] == "encrypt_json":
        text = json.dumps(job["value"], sort_keys=True, ensure_ascii=False)
        out.append(f.encrypt(text.encode("utf-8")).decode())
    elif job["op"] == "decrypt":
        out.append(base64.b64encode(f.decrypt(job["token"].encode())).decode())
    elif job["op"] == "decrypt_json":
        out.append(json.loads(f.decrypt(job["token"].encode()).decode("utf-8")))
    elif job["op"] == "urlsafe_b64encode":
        out.append(base64.urlsafe_b64encode(base64.b64decode(job["data"])).decode())
    elif job["op"] == "urlsafe_b64decode":
        out.append(base64.b64encode(base64.urlsafe_b64decode(job["token"].encode())).decode())
    elif job["op"] == "timestamp":
        out.append(f.extract_timestamp(job["token"].encode()))
json.dump(out, sys.stdout, ensure_ascii=False)
`;

type Job =
  | { op: 'encrypt'; key: string; data: string; time?: number }
  | { op: 'encrypt_json'; key: string; value: unknown }
  | { op: 'decrypt' | 'decrypt_json' | 'timestamp'; key: string; token: string }
  | { op: 'urlsafe_b64encode'; data: string }
  | { op: 'urlsafe_b64decode'; token: string };

function python(jobs: Job[]): unknown[] {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: install python3 and python3-cryptography (.ci/run does this)`);
  const run = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(jobs), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`python3 failed (status ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const PAYLOADS: Uint8Array[] = [
  new Uint8Array(0),
  Buffer.from('hello'),
  Buffer.from('héllo wörld 你好 🌍', 'utf8'),
  Buffer.alloc(15, 1),
  Buffer.alloc(16, 2),
  Buffer.alloc(17, 3),
  Uint8Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) & 0xff),
  Uint8Array.from({ length: 100_003 }, (_, i) => (i * 131) & 0xff),
];

const JSON_VALUES: unknown[] = [
  { a: 1, b: [1.5, 'é', null, true] },
  { user: { name: 'Łukasz', city: '東京', note: 'مرحبا', emoji: '🚀✨' }, scores: [0.95, 1.234, -3] },
  {},
  [],
  'just a string',
  Array.from({ length: 100 }, (_, i) => ({ id: i, label: `record-${i}`, ok: i % 2 === 0 })),
];

describe('interoperability with Python cryptography.fernet (real /usr/bin/python3)', () => {
  it('the interpreter has cryptography installed', () => {
    const run = spawnSync(PYTHON, ['-c', 'import cryptography, sys; sys.stdout.write(cryptography.__version__)'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+\./);
  });

  it('tokens made here decrypt in Python to the same bytes, with the same timestamp', () => {
    const key = generateFernetKey();
    const fernet = new Fernet(key);
    const tokens = PAYLOADS.map((p) => fernet.encrypt(p, { currentTime: 1_700_000_123 }).toString('ascii'));
    const decrypted = python(tokens.map((token) => ({ op: 'decrypt', key, token })));
    expect(decrypted).toEqual(PAYLOADS.map(b64));
    expect(python([{ op: 'timestamp', key, token: tokens[1] as string }])).toEqual([1_700_000_123]);
  });

  it('tokens made in Python decrypt here to the same bytes, with the same timestamp', () => {
    const key = generateFernetKey();
    const tokens = python(PAYLOADS.map((p) => ({ op: 'encrypt', key, data: b64(p) }))) as string[];
    const fernet = new Fernet(key);
    tokens.forEach((token, i) => {
      expect(token).toMatch(/^[A-Za-z0-9_-]+={0,2}$/);
      expect(fernet.decrypt(token).equals(Buffer.from(PAYLOADS[i] as Uint8Array))).toBe(true);
    });
    const [stamped] = python([{ op: 'encrypt', key, data: b64(Buffer.from('t')), time: 1_600_000_000 }]) as string[];
    expect(fernet.extractTimestamp(stamped as string)).toBe(1_600_000_000);
  });

  it('raw tokens cross too: urlsafe_b64encode(raw) decrypts in Python, and urlsafe_b64decode of a Python token decrypts with decryptRaw', () => {
    const key = generateFernetKey();
    const fernet = new Fernet(key);
    const rawTokens = PAYLOADS.map((p) => fernet.encryptRaw(p));
    const encoded = python(rawTokens.map((raw) => ({ op: 'urlsafe_b64encode', data: b64(raw) }))) as string[];
    expect(python(encoded.map((token) => ({ op: 'decrypt', key, token })))).toEqual(PAYLOADS.map(b64));
    const fromPython = python(PAYLOADS.map((p) => ({ op: 'encrypt', key, data: b64(p) }))) as string[];
    const decoded = python(fromPython.map((token) => ({ op: 'urlsafe_b64decode', token }))) as string[];
    decoded.forEach((raw, i) => expect(fernet.decryptRaw(Buffer.from(raw, 'base64')).equals(Buffer.from(PAYLOADS[i] as Uint8Array))).toBe(true));
  });

  it('the same key, time and IV give the same token in both languages', () => {
    // Python's public API draws its own IV, so compare against the fixed-IV vector Python produced (the encryption spec's example token).
    const key = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
    const token = new Fernet(key).encrypt('{"a": 1, "b": [1.0, "é", null, true]}', {
      currentTime: 1_700_000_000,
      iv: Uint8Array.from({ length: 16 }, (_, i) => i),
    });
    expect(token.toString('ascii')).toBe(
      'gAAAAABlU_EAAAECAwQFBgcICQoLDA0OD28vKoE--9o5qD8d-B2UkfJJWv4ztbdvj9YSeNmVIWmpBXqgZPV6Rm1oJQb3I0STAWN-B-Y9g7jCt4jLq5KCZXSFfKK3QtLaewvoMScCZ0qY',
    );
    expect(python([{ op: 'decrypt_json', key, token: token.toString('ascii') }])).toEqual([{ a: 1, b: [1, 'é', null, true] }]);
  });

  it('JSON values cross in both directions through EncryptedCacheLayer', () => {
    const key = generateFernetKey();
    const layer = new EncryptedCacheLayer({ encryptionKey: key, logger: recordingLogger() });
    const fromHere = JSON_VALUES.map((v) => layer.encryptCacheData(v).toString('ascii'));
    expect(python(fromHere.map((token) => ({ op: 'decrypt_json', key, token })))).toEqual(JSON_VALUES);
    const fromPython = python(JSON_VALUES.map((value) => ({ op: 'encrypt_json', key, value }))) as string[];
    expect(fromPython.map((token) => layer.decryptCacheData(token))).toEqual(JSON_VALUES);
  });
});
