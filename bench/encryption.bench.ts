// @cache/encryption vs Python's cryptography.fernet (the peer a Python service sharing the cache uses),
// side by side in one run, plus the layer's JSON path against raw JSON.stringify + createCipheriv.
// Run: cd bench && node run.mjs encryption   (build first: pnpm --filter @cache/encryption build)
// Python side: one /usr/bin/python3 process per round times its own loop on the same payloads
// (same key, same bytes, passed on stdin) and prints JSON; ratios = ours / Python.
// Env: BENCH_TIME_MS (per task, default 1500), BENCH_ROUNDS (default 3).
import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { jsonCodec } from '@cache/core';
import { EncryptedCacheLayer, Fernet, generateFernetKey } from '@cache/encryption';
import { Bench } from 'tinybench';

const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 1500);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PYTHON = '/usr/bin/python3';
const SIZES = [
  ['1 KB', 1024, 200],
  ['10 KB', 10 * 1024, 40],
  ['100 KB', 100 * 1024, 4],
] as const; // [label, bytes, round trips per tinybench iteration]

const key = generateFernetKey();
const fernet = new Fernet(key);
const payloads = SIZES.map(([, size]) => randomBytes(size));

const PY_SCRIPT = `
import base64, json, sys, time
from cryptography.fernet import Fernet
cfg = json.load(sys.stdin)
f = Fernet(cfg["key"].encode())
out = {}
for name, b64, batch in cfg["payloads"]:
    data = base64.b64decode(b64)
    assert f.decrypt(f.encrypt(data)) == data
    warm_until = time.perf_counter() + 0.3
    while time.perf_counter() < warm_until:
        f.decrypt(f.encrypt(data))
    n = 0
    start = time.perf_counter()
    deadline = start + cfg["seconds"]
    while True:
        for _ in range(batch):
            f.decrypt(f.encrypt(data))
        n += batch
        if time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - start
    out[name] = {"ops": n / elapsed}
json.dump(out, sys.stdout)
`;

function pythonRound(): Record<string, { ops: number }> {
  const input = JSON.stringify({
    key,
    seconds: TIME_MS / 1000,
    payloads: SIZES.map(([label, , batch], i) => [label, (payloads[i] as Buffer).toString('base64'), batch]),
  });
  const run = spawnSync(PYTHON, ['-c', PY_SCRIPT], { input, encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`python3 failed (status ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, { ops: number }>;
}

const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] as number;

function opsPerSecond(bench: Bench, name: string, batch: number): number {
  const result = bench.getTask(name)?.result;
  if (!result || !('latency' in result)) throw new Error(`task ${name} did not complete`);
  return (batch * 1000) / result.latency.mean;
}

// ---- 1. Fernet round trip (encrypt + decrypt), ours vs Python ---------------------------------
const ours: number[][] = SIZES.map(() => []);
const python: number[][] = SIZES.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: TIME_MS, warmupTime: 300, iterations: 8 });
  SIZES.forEach(([label, , batch], i) => {
    const data = payloads[i] as Buffer;
    bench.add(label, () => {
      for (let j = 0; j < batch; j++) fernet.decrypt(fernet.encrypt(data));
    });
  });
  await bench.run();
  SIZES.forEach(([label, , batch], i) => ours[i]?.push(opsPerSecond(bench, label, batch)));
  const py = pythonRound();
  SIZES.forEach(([label], i) => python[i]?.push((py[label] as { ops: number }).ops));
}

const fmtOps = (ops: number): string => (ops >= 1e4 ? `${(ops / 1e3).toFixed(1)} k/s` : `${ops.toFixed(0)} /s`);
console.log('\nFernet encrypt+decrypt round trip, medians of', ROUNDS, 'rounds (ratio = ours / Python)');
console.log('payload | @cache/encryption | µs/round trip | Python cryptography | µs/round trip | ratio');
const summary: string[] = [];
SIZES.forEach(([label], i) => {
  const o = median(ours[i] as number[]);
  const p = median(python[i] as number[]);
  const ratios = (ours[i] as number[]).map((x, r) => x / ((python[i] as number[])[r] as number));
  const ratio = median(ratios);
  console.log(`${label} | ${fmtOps(o)} | ${(1e6 / o).toFixed(1)} | ${fmtOps(p)} | ${(1e6 / p).toFixed(1)} | ${ratio.toFixed(2)}x`);
  if (i === 0) {
    summary.push(`1 KB target ≥ 1.5x Python: ${ratio.toFixed(2)}x ${ratio >= 1.5 ? 'ok' : 'MISSED'}`);
    summary.push(`1 KB target ≤ 50 µs per round trip: ${(1e6 / o).toFixed(1)} µs ${1e6 / o <= 50 ? 'ok' : 'MISSED'}`);
  }
});

// ---- 2. EncryptedCacheLayer JSON path vs raw JSON.stringify + createCipheriv (spec rule 34) ----
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const monitored = new EncryptedCacheLayer({ encryptionKey: key, logger: quiet });
const unmonitored = new EncryptedCacheLayer({ encryptionKey: key, logger: quiet, performanceMonitoring: false });
const small = { id: 42, user: 'user-42', scores: Array.from({ length: 60 }, (_, i) => i / 7), text: 'é'.repeat(200) }; // ~1 KB JSON
const records = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `user-${i}`, email: `user${i}@example.com`, score: i * 1.5, active: i % 2 === 0, tags: ['a', 'b', 'c'] }));
const rawKey = randomBytes(16);
const rawIv = randomBytes(16);
const rawEncrypt = (value: unknown): Buffer => {
  const c = createCipheriv('aes-128-cbc', rawKey, rawIv);
  return Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
};
const smallToken = monitored.encryptCacheData(small);
const kbBytes = payloads[0] as Buffer; // the 1 KB payload: @cache/redis calls these on every operation
const kbToken = monitored.encryptBytes(kbBytes);
const recordsToken = monitored.encryptCacheData(records);
const LAYER_BATCH = 50;
const layerTasks: [string, () => void][] = [
  ['raw JSON.stringify+AES-CBC, 1 KB', () => void rawEncrypt(small)],
  ['encryptCacheData 1 KB (monitoring on)', () => void monitored.encryptCacheData(small)],
  ['encryptCacheData 1 KB (monitoring off)', () => void unmonitored.encryptCacheData(small)],
  ['decryptCacheData 1 KB (monitoring on)', () => void monitored.decryptCacheData(smallToken)],
  ['encryptBytes 1 KB (monitoring on)', () => void monitored.encryptBytes(kbBytes)],
  ['decryptBytes 1 KB (monitoring on)', () => void monitored.decryptBytes(kbToken)],
  ['raw JSON.stringify+AES-CBC, 100 records', () => void rawEncrypt(records)],
  ['core jsonCodec.encode alone, 100 records', () => void jsonCodec.encode(records)],
  ['encryptCacheData 100 records', () => void monitored.encryptCacheData(records)],
  ['decryptCacheData 100 records', () => void monitored.decryptCacheData(recordsToken)],
];
const layerUs = new Map<string, number[]>(layerTasks.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const layerBench = new Bench({ time: TIME_MS / 2, warmupTime: 200, iterations: 8 });
  for (const [name, fn] of layerTasks) layerBench.add(name, () => { for (let j = 0; j < LAYER_BATCH; j++) fn(); });
  await layerBench.run();
  for (const [name] of layerTasks) layerUs.get(name)?.push(1e6 / opsPerSecond(layerBench, name, LAYER_BATCH));
}
const us = (name: string): number => median(layerUs.get(name) as number[]);
console.log(`\nEncryptedCacheLayer, medians of ${ROUNDS} rounds (JSON ${Buffer.byteLength(JSON.stringify(small))} B and ${Buffer.byteLength(JSON.stringify(records))} B payloads)`);
for (const [name] of layerTasks) console.log(`${name}: ${us(name).toFixed(1)} µs/op`);
const overhead = us('encryptCacheData 1 KB (monitoring on)') / us('encryptCacheData 1 KB (monitoring off)');
console.log(`layer / raw (1 KB encrypt): ${(us('encryptCacheData 1 KB (monitoring on)') / us('raw JSON.stringify+AES-CBC, 1 KB')).toFixed(2)}x; (100 records): ${(us('encryptCacheData 100 records') / us('raw JSON.stringify+AES-CBC, 100 records')).toFixed(2)}x`);
summary.push(`encrypt < 5 ms / decrypt < 3 ms per ~1 KB value: ${(us('encryptCacheData 1 KB (monitoring on)') / 1000).toFixed(3)} ms / ${(us('decryptCacheData 1 KB (monitoring on)') / 1000).toFixed(3)} ms`);
summary.push(`byte level (@cache/redis path), 1 KB: encryptBytes ${us('encryptBytes 1 KB (monitoring on)').toFixed(1)} µs, decryptBytes ${us('decryptBytes 1 KB (monitoring on)').toFixed(1)} µs`);
summary.push(`100-record encrypt < 100 ms: ${(us('encryptCacheData 100 records') / 1000).toFixed(3)} ms`);
summary.push(`monitoring overhead < 2x: ${overhead.toFixed(2)}x`);
// ---- 3. Byte level (@cache/redis path) vs a straightforward node:crypto Fernet, in CPU time ----
// The baseline builds fresh cipher/HMAC objects per token and uses Buffer.concat/replace (the usual
// way to write Fernet on node:crypto), with lighter checks than ours (no strict base64). Rounds
// alternate ours and baseline, and CPU time is less disturbed by other processes than wall time.
const [sigHalf, aesHalf] = [createSecretKey(Buffer.from(key, 'base64url').subarray(0, 16)), createSecretKey(Buffer.from(key, 'base64url').subarray(16))];
const baselineEncrypt = (data: Buffer): Buffer => {
  const iv = randomBytes(16);
  const c = createCipheriv('aes-128-cbc', aesHalf, iv);
  const head = Buffer.alloc(9);
  head[0] = 0x80;
  head.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)), 1);
  const signed = Buffer.concat([head, iv, c.update(data), c.final()]);
  const raw = Buffer.concat([signed, createHmac('sha256', sigHalf).update(signed).digest()]);
  return Buffer.from(raw.toString('base64').replace(/\+/g, '-').replace(/\//g, '_'), 'latin1');
};
const baselineDecrypt = (token: Buffer): Buffer => {
  const raw = Buffer.from(token.toString('latin1'), 'base64');
  const signed = raw.subarray(0, raw.length - 32);
  if (raw[0] !== 0x80 || !timingSafeEqual(createHmac('sha256', sigHalf).update(signed).digest(), raw.subarray(raw.length - 32))) throw new Error('bad token');
  const d = createDecipheriv('aes-128-cbc', aesHalf, raw.subarray(9, 25));
  return Buffer.concat([d.update(raw.subarray(25, raw.length - 32)), d.final()]);
};
if (!baselineDecrypt(kbToken).equals(kbBytes) || !monitored.decryptBytes(baselineEncrypt(kbBytes)).equals(kbBytes)) throw new Error('baseline disagrees');
const cpuUsPerOp = (fn: () => void, n: number): number => {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
};
const CPU_OPS = Math.max(1000, Math.round(TIME_MS * 10));
const baselineToken = baselineEncrypt(kbBytes);
// The raw-token forms (no base64; what @cache/redis's envelope version 3 stores), alternating with the base64 ones.
const kbRawToken = monitored.encryptBytesRaw(kbBytes);
const cpu = { enc: [] as number[], dec: [] as number[], baseEnc: [] as number[], baseDec: [] as number[], rawEnc: [] as number[], rawDec: [] as number[] };
for (let round = 0; round < ROUNDS * 3; round++) {
  cpu.enc.push(cpuUsPerOp(() => void monitored.encryptBytes(kbBytes), CPU_OPS));
  cpu.rawEnc.push(cpuUsPerOp(() => void monitored.encryptBytesRaw(kbBytes), CPU_OPS));
  cpu.baseEnc.push(cpuUsPerOp(() => void baselineEncrypt(kbBytes), CPU_OPS));
  cpu.dec.push(cpuUsPerOp(() => void monitored.decryptBytes(kbToken), CPU_OPS));
  cpu.rawDec.push(cpuUsPerOp(() => void monitored.decryptBytesRaw(kbRawToken), CPU_OPS));
  cpu.baseDec.push(cpuUsPerOp(() => void baselineDecrypt(baselineToken), CPU_OPS));
}
const pairRatio = (ours: number[], base: number[]): number => median(ours.map((o, i) => o / (base[i] as number)));
console.log(`\nByte level, 1 KB, CPU µs/op, medians of ${cpu.enc.length} alternating rounds × ${CPU_OPS} ops (ratio = ours / baseline)`);
console.log(`encryptBytes ${median(cpu.enc).toFixed(1)} | baseline encrypt ${median(cpu.baseEnc).toFixed(1)} | ${pairRatio(cpu.enc, cpu.baseEnc).toFixed(2)}x`);
console.log(`decryptBytes ${median(cpu.dec).toFixed(1)} | baseline decrypt ${median(cpu.baseDec).toFixed(1)} | ${pairRatio(cpu.dec, cpu.baseDec).toFixed(2)}x`);
const saved = (base64: number[], raw: number[]): string => median(base64.map((b, i) => b - (raw[i] as number))).toFixed(2);
console.log(`encryptBytesRaw ${median(cpu.rawEnc).toFixed(1)} (saves ${saved(cpu.enc, cpu.rawEnc)} µs) | decryptBytesRaw ${median(cpu.rawDec).toFixed(1)} (saves ${saved(cpu.dec, cpu.rawDec)} µs); token ${kbRawToken.length} B raw vs ${kbToken.length} B base64`);
summary.push(`raw token 1 KB CPU: encryptBytesRaw ${median(cpu.rawEnc).toFixed(1)} µs (−${saved(cpu.enc, cpu.rawEnc)} µs vs encryptBytes), decryptBytesRaw ${median(cpu.rawDec).toFixed(1)} µs (−${saved(cpu.dec, cpu.rawDec)} µs vs decryptBytes)`);
summary.push(`byte level 1 KB CPU: encryptBytes ${median(cpu.enc).toFixed(1)} µs (${pairRatio(cpu.enc, cpu.baseEnc).toFixed(2)}x baseline), decryptBytes ${median(cpu.dec).toFixed(1)} µs (${pairRatio(cpu.dec, cpu.baseDec).toFixed(2)}x baseline)`);

// ---- 4. Fernet vs the floor of its native calls, in CPU time ----------------------------------
// The node:crypto and Buffer calls a 1 KB token cannot do without (decrypt: base64 decode, SHA-256 of
// inner pad ‖ token, SHA-256 of outer pad ‖ inner digest, one AES-CBC update; encrypt: one AES-CBC
// update, the same two hashes, base64 encode), on buffers of the token's sizes; what Fernet takes
// above their sum is its checks, views and garbage. Alternating rounds, medians.
const kbRaw = Buffer.from(kbToken.toString('latin1'), 'base64url');
const ciphertext = kbRaw.subarray(25, kbRaw.length - 32);
const innerInput = Buffer.concat([Buffer.alloc(64), kbRaw.subarray(0, kbRaw.length - 32)]);
const outerInput = Buffer.alloc(96);
const scratch = Buffer.allocUnsafeSlow(kbRaw.length + 3);
const floorDecipher = createDecipheriv('aes-128-cbc', aesHalf, Buffer.alloc(16)).setAutoPadding(false);
const floorCipher = createCipheriv('aes-128-cbc', aesHalf, Buffer.alloc(16)).setAutoPadding(false);
const floorDecrypt = (): void => {
  scratch.write(kbToken.toString('latin1'), 0, 'base64url');
  hash('sha256', innerInput, 'binary');
  hash('sha256', outerInput, 'binary');
  floorDecipher.update(ciphertext);
};
const floorEncrypt = (): void => {
  floorCipher.update(ciphertext);
  hash('sha256', innerInput, 'binary');
  hash('sha256', outerInput, 'binary');
  scratch.write(kbRaw.toString('base64url'), 0, 'latin1');
};
const floor = { dec: [] as number[], enc: [] as number[], fernetDec: [] as number[], fernetEnc: [] as number[] };
for (let round = 0; round < ROUNDS * 3; round++) {
  floor.dec.push(cpuUsPerOp(floorDecrypt, CPU_OPS));
  floor.fernetDec.push(cpuUsPerOp(() => void fernet.decrypt(kbToken), CPU_OPS));
  floor.enc.push(cpuUsPerOp(floorEncrypt, CPU_OPS));
  floor.fernetEnc.push(cpuUsPerOp(() => void fernet.encrypt(kbBytes), CPU_OPS));
}
console.log(`\nFernet vs the floor of its native calls, 1 KB, CPU µs/op, medians of ${floor.dec.length} alternating rounds`);
console.log(`decrypt: Fernet ${median(floor.fernetDec).toFixed(1)} | floor ${median(floor.dec).toFixed(1)}`);
console.log(`encrypt: Fernet ${median(floor.fernetEnc).toFixed(1)} | floor ${median(floor.enc).toFixed(1)}`);
summary.push(`1 KB CPU vs native-call floor: decrypt ${median(floor.fernetDec).toFixed(1)} / ${median(floor.dec).toFixed(1)} µs, encrypt ${median(floor.fernetEnc).toFixed(1)} / ${median(floor.enc).toFixed(1)} µs`);
console.log('\n' + summary.join('\n'));
