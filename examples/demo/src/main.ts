// `pnpm demo`: an AI workload through the AI SDK and the @cache stack (one factory call) on a TLS +
// ACL redis-server started by the public `cache dev-redis` command (or your Redis with --redis-url,
// or memory when redis-server is missing), then a short report.
// Options: --quick, --requests N, --report FILE.html, --redis-url URL, --json.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateFernetKey } from '@cache/encryption';
import { crossProcessBurst, runBurst } from './burst.js';
import { startDevRedis, type DevRedis } from './dev-redis.js';
import { renderHtml } from './html-report.js';
import { startMetricsEndpoint } from './metrics-endpoint.js';
import { PRICES, simulatedModels } from './model.js';
import { progressBar } from './progress.js';
import { readRawValue } from './raw-value.js';
import { replay, type OutageDrill } from './replay.js';
import { expectedSavings, renderText, summariseRecords, type DemoReport } from './report.js';
import { buildStack, KEY_PREFIX, type DemoStack, type StackTarget } from './stack.js';
import { generateWorkload } from './workload.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    requests: { type: 'string' },
    report: { type: 'string' },
    'redis-url': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const quick = values.quick === true;
const requests = values.requests !== undefined ? Number(values.requests) : quick ? 120 : 400;
if (!Number.isInteger(requests) || requests < 10) throw new Error('--requests must be a whole number ≥ 10');
const latencyScale = quick ? 0.1 : 1;
const BURST_SIZE = 8;
const say = (line: string) => process.stderr.write(`${line}\n`);
const redacted = (url: string) => url.replace(/\/\/[^@]*@/, '//***@');

let dev: DevRedis | null = null;
let target: StackTarget;
let stackName: string;
const notes: string[] = [];
if (values['redis-url'] !== undefined) {
  const env = { ...process.env, REDIS_URL: values['redis-url'], REDIS_ENCRYPTION_KEY: process.env['REDIS_ENCRYPTION_KEY'] ?? generateFernetKey() };
  target = { kind: 'redis', env };
  stackName = `your Redis (${redacted(values['redis-url'])}), values encrypted`;
} else {
  say('starting a TLS + ACL redis-server: cache dev-redis --port 0 --json …');
  const started = await startDevRedis();
  if (started.ok) {
    dev = started.server;
    target = { kind: 'redis', env: dev.env };
    stackName = `redis-server via \`cache dev-redis\` (TLS, ACL user "${dev.env['REDIS_ACL_USERNAME']}", Fernet-encrypted values)`;
  } else {
    say(`NOTICE: no local Redis (${started.reason}); running the in-memory stack instead. Install redis-server and openssl for the full demo.`);
    target = { kind: 'memory' };
    stackName = 'in-memory stack (redis-server not available)';
  }
}

let stack: DemoStack;
try {
  stack = await buildStack(target, { prices: PRICES, clear: true });
} catch (error) {
  // A security refusal (no credentials, wrong password, untrusted certificate) never falls back to memory.
  say(`cannot use ${target.kind === 'redis' ? redacted(target.env['REDIS_URL'] ?? '') : 'the cache'}: ${error instanceof Error ? error.message : String(error)}`);
  await dev?.stop();
  process.exit(1);
}
if (stack.fallback) {
  say(`NOTICE: Redis at ${redacted(target.kind === 'redis' ? (target.env['REDIS_URL'] ?? '') : '')} could not be reached; the factory fell back to its in-memory cache.`);
  stackName = 'in-memory fallback of the factory (Redis unreachable)';
}
if (stack.kind === 'redis' && dev === null) notes.push('no outage drill against your own Redis (the demo only pauses a server it started)');
if (stack.kind === 'memory') notes.push(`in memory: no raw-value view, no outage drill, no second process${stack.ledger() === null ? ', and savings computed from the simulated model' : ''}`);
const metrics = await startMetricsEndpoint(stack.monitor, 'demo');
const simulated = simulatedModels(latencyScale);
const models = Object.fromEntries(Object.entries(simulated.models).map(([id, model]) => [id, stack.wrap(model)]));
const items = generateWorkload(requests);
const server = stack.redis ? dev : null;
const outage: OutageDrill | undefined = server
  ? {
      atUnit: Math.floor(items.length * 0.6),
      durationMs: quick ? 600 : 1500,
      begin: () => process.kill(server.serverPid, 'SIGSTOP'),
      end: () => process.kill(server.serverPid, 'SIGCONT'),
    }
  : undefined;

say(`replaying ${items.length} requests through the AI SDK (${quick ? 'quick mode: model latency ×0.1' : 'simulated model latency 150–600 ms'}), 12 in flight`);
const started = performance.now();
let records;
try {
  records = await replay(models, items, { concurrency: 12, latencyScale, outage, onProgress: progressBar('requests') });
} catch (error) {
  if (server) process.kill(server.serverPid, 'SIGCONT');
  throw error;
}
const durationMs = performance.now() - started;
const modelCallsMade = simulated.calls();

let recovered = true;
if (stack.redis) {
  for (let i = 0; i < 40 && stack.redis.connectionState !== 'ready'; i++) await stack.redis.connect();
  recovered = stack.redis.connectionState === 'ready';
}
const summary = summariseRecords(records);
const ledger = stack.ledger();
const expected = expectedSavings(records, items, latencyScale);
const during = records.filter((r) => r.duringOutage);
const countOf = (source: string) => records.filter((r) => r.source === source).length;

say(`single flight: ${BURST_SIZE} identical concurrent requests${stack.kind === 'redis' ? ' from this process and from a second process on the same Redis' : ''} …`);
const burst =
  stack.kind === 'redis' && target.kind === 'redis'
    ? await crossProcessBurst(stack, { env: target.env, requests: BURST_SIZE })
    : { thisProcess: await runBurst(stack, BURST_SIZE), otherProcess: null };

const raw = stack.redis && target.kind === 'redis' ? await readRawValue(target.env, KEY_PREFIX) : null;
const exposition = await metrics.scrape();
const report: DemoReport = {
  stack: stackName,
  requests: records.length,
  durationMs,
  ...summary,
  modelCalls: { made: modelCallsMade, savedByCache: countOf('hit'), savedBySingleFlight: countOf('coalesced') },
  burst,
  saved: ledger ? { ...ledger.total, source: 'ledger' } : { ...expected, cachedInputTokens: 0, source: 'computed' },
  expectedSaved: expected,
  rawValue: raw ? { ...raw, promptInKey: raw.key.includes('customer') || raw.key.includes('Summarize') } : null,
  outage: outage
    ? {
        durationMs: outage.durationMs,
        requests: during.length,
        errors: during.filter((r) => r.source === 'error').length,
        fromCache: during.filter((r) => r.source === 'hit').length,
        fromModel: during.filter((r) => r.source === 'model' || r.source === 'coalesced').length,
        recovered,
      }
    : null,
  prometheus: { url: metrics.url, sample: exposition.split('\n').filter((l) => /^cache_(hit_rate|hits_total|misses_total)\{/.test(l)) },
  notes,
};

const text = renderText(report);
if (values.json) process.stdout.write(`${JSON.stringify({ ...report, hitRateOverTime: undefined, latencies: undefined })}\n`);
else process.stdout.write(`${text}\n`);
if (values.report !== undefined) {
  writeFileSync(values.report, renderHtml(report, text));
  say(`HTML report written to ${values.report} (opens offline)`);
}
await metrics.close();
await stack.close();
await dev?.stop();
