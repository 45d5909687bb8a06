// What zlib compression costs and saves on the Redis wire format's body, to choose when
// @cache/redis compresses (threshold, level, minimum saving). Per payload and zlib level: the
// compressed size, µs of CPU to deflate and to inflate, and — because a smaller body also means
// less Fernet work (AES-CBC + HMAC + base64 on every get and set) — the Fernet µs saved.
// Run: cd bench && node run.mjs compression   (build first: pnpm exec turbo run build --filter=@cache/encryption)
// Env: BENCH_TIME_MS (per cell, default 200), BENCH_ROUNDS (default 3).
import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { Fernet, generateFernetKey } from '@cache/encryption';
import { SIZES, apiJson, llmJson, median, proseText, seeded, timePerCall } from './sample-values.js';

const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 200);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const LEVELS = [1, 3, 6, 9];
const fernet = new Fernet(generateFernetKey());
const utf8 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8');

/** Bytes that do not compress: a JSON object holding base64 of random bytes (an image, an embedding, ciphertext). */
const opaque = (bytes: number) => ({ kind: 'png', data: randomBytes(Math.floor(bytes * 0.74)).toString('base64') });
/** A float vector as JSON (embeddings): digits compress a little. */
const embedding = (bytes: number) => {
  const rnd = seeded(9);
  return { model: 'text-embedding-3-small', vector: Array.from({ length: Math.floor(bytes / 20) }, () => rnd() * 2 - 1) };
};

const payloads: Array<[string, Buffer]> = [];
for (const [label, size] of SIZES) {
  payloads.push([`API JSON ${label}`, utf8(apiJson(size))]);
  payloads.push([`LLM JSON ${label}`, utf8(llmJson(size))]);
  payloads.push([`LLM text ${label}`, utf8(proseText(size, 3))]);
  payloads.push([`embedding JSON ${label}`, utf8(embedding(size))]);
  payloads.push([`base64 blob JSON ${label}`, utf8(opaque(size))]);
}
for (const size of [256, 512, 2048, 4096]) payloads.push([`API JSON ${size} B`, utf8(apiJson(size))]);

console.log('| payload | bytes | level | compressed | saved | deflate µs | inflate µs | Fernet enc+dec µs saved | net µs per set+get |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [label, raw] of payloads) {
  const fernetUs: number[] = [];
  const cells = new Map<number, { size: number; def: number[]; inf: number[]; fernet: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    fernetUs.push(timePerCall(() => fernet.decrypt(fernet.encrypt(raw)), TIME_MS));
    for (const level of round % 2 === 0 ? LEVELS : [...LEVELS].reverse()) {
      const out = deflateSync(raw, { level });
      const c = cells.get(level) ?? { size: out.byteLength, def: [], inf: [], fernet: [] };
      c.def.push(timePerCall(() => deflateSync(raw, { level }), TIME_MS));
      c.inf.push(timePerCall(() => inflateSync(out), TIME_MS));
      c.fernet.push(timePerCall(() => fernet.decrypt(fernet.encrypt(out)), TIME_MS));
      cells.set(level, c);
    }
  }
  for (const [level, c] of cells) {
    const saved = median(fernetUs) - median(c.fernet);
    const net = median(c.def) + median(c.inf) - saved;
    const pct = (100 * (1 - c.size / raw.byteLength)).toFixed(0);
    console.log(`| ${label} | ${raw.byteLength} | ${level} | ${c.size} | ${pct} % | ${median(c.def).toFixed(1)} | ${median(c.inf).toFixed(1)} | ${saved.toFixed(1)} | ${net >= 0 ? '+' : ''}${net.toFixed(1)} |`);
  }
}
