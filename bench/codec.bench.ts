// core's rich codec vs its JSON codec (and v8.serialize, the built-in structured-clone format,
// for reference) on plain JSON data and on values with Date/BigInt/Map/Set/binary.
// Run: cd bench && node run.mjs codec   (build first: pnpm exec turbo run build --filter=@cache/core)
// Per payload and codec: µs of CPU per encode and per decode, median over rounds (rounds alternate
// the order of the codecs). Env: BENCH_TIME_MS (per cell, default 300), BENCH_ROUNDS (default 5),
// BASE (path to the index.js of a saved core build, e.g. `cp -r packages/core/dist /tmp/core-base`
// before a change, then BASE=/tmp/core-base/index.js: its json and rich codecs run as extra contenders
// `json (base)`, `rich (base)`, so an A/B of two builds is measured in one process).
import { deserialize, serialize } from 'node:v8';
import { jsonCodec, richCodec, type Codec } from '@cache/core';
import { makeValue } from './peers/values.js';
import { SIZES, apiJson, llmJson, median, timePerCall } from './sample-values.js';

const TIME_MS = Number(process.env['BENCH_TIME_MS'] ?? 300);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const v8Codec: Codec = { id: 0, name: 'v8.serialize', encode: (v) => serialize(v), decode: (b) => deserialize(b) as unknown };
const BASE = process.env['BASE'];
const base = BASE ? ((await import(BASE)) as { jsonCodec: Codec; richCodec: Codec }) : undefined;
const baseCodecs: Codec[] = base ? [{ ...base.jsonCodec, name: 'json (base)' }, { ...base.richCodec, name: 'rich (base)' }] : [];
const plain: Codec[] = [jsonCodec, richCodec, ...baseCodecs, v8Codec];

const richValue = (n: number) => ({
  items: Array.from({ length: n }, (_, i) => ({
    id: BigInt(i) * 1_000_000_007n,
    at: new Date(1_765_000_000_000 + i * 1000),
    attrs: new Map<string, unknown>([['colour', 'blue'], ['size', i], ['seen', new Set([i, i + 1])]]),
    blob: new Uint8Array(16).fill(i & 0xff),
    note: i % 3 === 0 ? undefined : `note ${i}`,
  })),
});

const payloads: Array<[string, unknown, Codec[]]> = [
  ['peers value 1 KB', makeValue(1), plain],
  ...SIZES.map(([label, bytes]) => [`API JSON ${label}`, apiJson(bytes), plain] as [string, unknown, Codec[]]),
  ...SIZES.map(([label, bytes]) => [`LLM JSON ${label}`, llmJson(bytes), plain] as [string, unknown, Codec[]]),
  ['rich value, 10 items', richValue(10), [richCodec, ...baseCodecs.slice(1), v8Codec]],
  ['rich value, 100 items', richValue(100), [richCodec, ...baseCodecs.slice(1), v8Codec]],
];

console.log(`| payload | codec | bytes | encode µs | decode µs | encode+decode vs JSON |`);
console.log(`|---|---|---|---|---|---|`);
for (const [label, value, codecs] of payloads) {
  const samples = new Map<string, { enc: number[]; dec: number[]; size: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? codecs : [...codecs].reverse();
    for (const codec of order) {
      const bytes = codec.encode(value);
      const s = samples.get(codec.name) ?? { enc: [], dec: [], size: bytes.byteLength };
      s.enc.push(timePerCall(() => codec.encode(value), TIME_MS));
      s.dec.push(timePerCall(() => codec.decode(bytes), TIME_MS));
      samples.set(codec.name, s);
    }
  }
  const json = samples.get('json');
  const jsonTotal = json ? median(json.enc) + median(json.dec) : Number.NaN;
  for (const [name, s] of samples) {
    const total = median(s.enc) + median(s.dec);
    const ratio = Number.isNaN(jsonTotal) ? '–' : `${(total / jsonTotal).toFixed(2)}×`;
    console.log(`| ${label} | ${name} | ${s.size} | ${median(s.enc).toFixed(2)} | ${median(s.dec).toFixed(2)} | ${ratio} |`);
  }
}
