// @cache/memory getOrSet vs get on a hit: CPU per awaited call on one InMemoryCache (10k keys, ~1 KB
// values), the goal being a getOrSet hit within 10 % of a get hit.
// Run: cd bench && node run.mjs memory-get-or-set   (build first: pnpm exec turbo run build --filter=@cache/memory)
// Each task awaits BATCH calls in a row; rounds alternate the order (BENCH_ROUNDS, default 3) and each
// ratio pairs two tasks of the same round. Each task is its own function, so its call sites stay monomorphic.
import { InMemoryCache } from '@cache/memory';
import { ROUNDS, fmt, median } from './rounds.js';

const N = 10_000;
const BATCH = Number(process.env['BENCH_BATCH'] ?? 500_000);
const keys = Array.from({ length: N }, (_, i) => `user:${i}:profile`);
const value = (i: number) => ({ id: i, name: `user-${i}`, tags: Array.from({ length: 20 }, (_, j) => `tag-${j}`), text: 'lorem ipsum dolor sit amet '.repeat(28) });
const cache = new InMemoryCache({ maxSize: N });
keys.forEach((key, i) => cache.setSync(key, value(i)));
let factoryCalls = 0;
const factory = async () => (factoryCalls++, value(-1));
const withTtl = { ttl: 3600 };

const tasks: Record<string, (n: number) => Promise<void>> = {
  get: async (n) => {
    for (let k = 0; k < n; k++) await cache.get(keys[k % N] as string);
  },
  getOrSet: async (n) => {
    for (let k = 0; k < n; k++) await cache.getOrSet(keys[k % N] as string, factory);
  },
  'getOrSet { ttl }': async (n) => {
    for (let k = 0; k < n; k++) await cache.getOrSet(keys[k % N] as string, factory, withTtl);
  },
};

for (const task of Object.values(tasks)) await task(100_000);
const rounds: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(tasks);
  if (round % 2 === 1) names.reverse();
  for (const name of names) {
    const cpu = process.cpuUsage();
    await tasks[name]!(BATCH);
    const used = process.cpuUsage(cpu);
    (rounds[name] ??= []).push(((used.user + used.system) * 1000) / BATCH);
  }
}
if (factoryCalls > 0) throw new Error(`the factory ran ${factoryCalls} times for present keys`);

console.log(`\nInMemoryCache hit, ${N} keys, ~1 KB values: CPU ns per awaited call (median of ${ROUNDS} rounds of ${BATCH})`);
console.log('| operation | CPU per call | vs get (paired per round) |');
console.log('|---|---|---|');
for (const [name, ns] of Object.entries(rounds)) {
  const ratio = median(ns.map((x, i) => x / rounds['get']![i]!));
  console.log(`| ${name} | ${fmt(median(ns), 1)} ns | ${fmt(ratio, 3)}× |`);
}
