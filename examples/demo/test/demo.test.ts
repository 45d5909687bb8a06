import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoReport } from '../src/report.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'cache-demo-test-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--quick', '--json', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

type JsonReport = Omit<DemoReport, 'hitRateOverTime' | 'latencies'>;

function parse(run: Run): JsonReport {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as JsonReport;
}

/**
 * The Prometheus hit counter of the demo's cache: positive, and only requests served without a
 * model call of their own count (a request that joined a call in flight may count: its lookup can
 * run just after the leader stored).
 */
function expectPrometheusHits(report: JsonReport): void {
  const line = report.prometheus.sample.find((l) => l.startsWith('cache_hits_total{cache="demo"} '));
  const hits = Number(line?.split(' ')[1]);
  const burst = report.burst.thisProcess;
  expect(hits).toBeGreaterThan(0);
  expect(hits).toBeLessThanOrEqual(report.modelCalls.savedByCache + report.modelCalls.savedBySingleFlight + burst.requests - burst.modelCalls);
}

/** Figures every stack must get right: each request is exactly one of hit, shared in-flight call, or model call. */
function expectConsistentFigures(report: JsonReport): void {
  expect(report.requests).toBe(120);
  expect(report.errors).toBe(0);
  const { made, savedByCache, savedBySingleFlight } = report.modelCalls;
  expect(made + savedByCache + savedBySingleFlight).toBe(report.requests);
  expect(savedByCache).toBeGreaterThan(0);
  expect(savedBySingleFlight).toBeGreaterThan(0);
  expect(report.hitRate).toBeCloseTo(savedByCache / report.requests, 12);
  const byOperation = Object.values(report.hitRateByOperation);
  expect(byOperation.reduce((sum, op) => sum + op.requests, 0)).toBe(report.requests);
  expect(byOperation.reduce((sum, op) => sum + op.hits, 0)).toBe(savedByCache);
  expect(report.latency.withoutCache.p50).toBeGreaterThan(0);
  expect(report.latency.withCache.p95).toBeGreaterThanOrEqual(report.latency.withCache.p50);
}

describe('pnpm demo on the TLS + ACL redis-server of `cache dev-redis`', () => {
  let run: Run;
  let report: JsonReport;
  const htmlPath = join(tmp, 'report.html');

  beforeAll(async () => {
    run = await runDemo(['--report', htmlPath]);
    report = parse(run);
  });

  it('started Redis through the public command and used the Redis stack', () => {
    expect(run.stderr).toContain('cache dev-redis --port 0 --json');
    expect(report.stack).toContain('redis-server via `cache dev-redis` (TLS, ACL user "cache-app"');
    expectConsistentFigures(report);
  });

  it('the savings come from the redis-ai ledger and equal the simulated model costs of every request served without a model call', () => {
    expect(report.saved.source).toBe('ledger');
    expect(report.saved.hits).toBe(report.modelCalls.savedByCache + report.modelCalls.savedBySingleFlight);
    expect(report.saved.hits).toBe(report.expectedSaved.hits);
    expect(report.saved.inputTokens).toBe(report.expectedSaved.inputTokens);
    expect(report.saved.outputTokens).toBe(report.expectedSaved.outputTokens);
    expect(report.saved.costUsd).toBeCloseTo(report.expectedSaved.costUsd, 9);
    expect(report.saved.modelTimeMs).toBeGreaterThan(0);
  });

  it('single flight across processes: 8 identical concurrent requests in each of two processes made one model call', () => {
    const { thisProcess, otherProcess } = report.burst;
    expect(otherProcess).not.toBeNull();
    expect([thisProcess.requests, otherProcess?.requests]).toEqual([8, 8]);
    expect(thisProcess.modelCalls + (otherProcess?.modelCalls ?? 0)).toBe(1);
    // The process without the model call waited for the other's through the Redis lease.
    expect(thisProcess.coalescedRemote + (otherProcess?.coalescedRemote ?? 0)).toBeGreaterThanOrEqual(1);
  });

  it('Redis holds ciphertext: an encrypted v3 envelope with a raw Fernet token, and no prompt text in the key', () => {
    expect(report.rawValue).toMatchObject({ headerHex: 'cace030102', promptInKey: false });
    expect(report.rawValue?.tokenStart.startsWith('gAAAAA')).toBe(true);
    expect(report.rawValue?.key).toMatch(/^demo:llm:v2:tenant=[a-z]+:[a-z]+:openai\.chat:gpt-4o(-mini)?:[0-9a-f]{32}$/);
  });

  it('survived the outage: requests during the pause were answered (cache or model), none failed, and it reconnected', () => {
    expect(report.outage).not.toBeNull();
    expect(report.outage?.requests).toBeGreaterThan(0);
    expect(report.outage?.errors).toBe(0);
    expect((report.outage?.fromCache ?? 0) + (report.outage?.fromModel ?? 0)).toBe(report.outage?.requests);
    expect(report.outage?.recovered).toBe(true);
  });

  it('served Prometheus series whose hit counter agrees with the report', () => {
    expect(report.prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expectPrometheusHits(report);
  });

  it('--report wrote an offline HTML page with both charts and the same figures', () => {
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toContain('aria-label="hit rate over time"');
    expect(html).toContain('aria-label="latency histogram"');
    expect(html).toContain(`<strong id="hit-rate">${(report.hitRate * 100).toFixed(1)}%</strong>`);
    expect(html).not.toMatch(/<script|<link|src=|href=/);
  });
});

describe('pnpm demo without redis-server', () => {
  it('says so and runs the in-memory stack with the same accounting', async () => {
    // An empty PATH: no redis-server, no openssl (the demo and the command run on this very node binary).
    const run = await runDemo([], { PATH: tmp, HOME: process.env['HOME'] });
    expect(run.stderr).toContain('NOTICE: no local Redis (cache dev-redis: redis-server not found on PATH');
    const report = parse(run);
    expect(report.stack).toBe('in-memory stack (redis-server not available)');
    expectConsistentFigures(report);
    const served = report.modelCalls.savedByCache + report.modelCalls.savedBySingleFlight;
    expect(report.saved).toMatchObject({ source: 'computed', hits: served, inputTokens: report.expectedSaved.inputTokens });
    expect(report.burst).toEqual({ thisProcess: { requests: 8, modelCalls: 1, coalescedLocal: 7, coalescedRemote: 0 }, otherProcess: null });
    expectPrometheusHits(report);
    expect(report.rawValue).toBeNull();
    expect(report.outage).toBeNull();
  });
});

describe('pnpm demo --redis-url', () => {
  it('an unreachable Redis: the factory falls back to memory, and the demo says so', async () => {
    const env = { ...process.env, REDIS_ACL_USERNAME: 'someone', REDIS_ACL_PASSWORD: 'not-used-0123456789' };
    const run = await runDemo(['--redis-url', 'rediss://localhost:1'], env);
    expect(run.stderr).toContain('NOTICE: Redis at rediss://localhost:1 could not be reached; the factory fell back to its in-memory cache.');
    const report = parse(run);
    expect(report.stack).toBe('in-memory fallback of the factory (Redis unreachable)');
    expectConsistentFigures(report);
    // The fallback is forLlmApp's own object serving from its L1, so its savings ledger still counts.
    expect(report.saved.source).toBe('ledger');
    expect(report.saved.hits).toBe(report.expectedSaved.hits);
  });

  it('a Redis that refuses the configuration (no credentials): a one-line error, exit code 1, no fallback', async () => {
    // As on a developer's machine (under vitest, NODE_ENV=test would relax the requirement).
    const run = await runDemo(['--redis-url', 'rediss://localhost:1'], { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_ENV: 'development' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cannot use rediss:\/\/localhost:1: SECURITY ERROR: Redis authentication is mandatory/m);
    expect(run.stderr).not.toContain('    at ');
  });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));
