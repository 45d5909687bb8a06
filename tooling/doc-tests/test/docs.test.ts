import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFernetKey } from '@cache/encryption';
import { startRedis, startRedisCluster, startRedisSentinelSet, type RedisSentinelSet, type RedisTestCluster, type RedisTestServer } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFromFiles, type DocBlock } from '../src/extract.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const work = resolve(here, '../.tmp');
const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
const blocks = extractFromFiles(root, ['README.md', ...docs]);
const fileOf = (b: DocBlock) => `${b.file.replace(/[^A-Za-z0-9]+/g, '_')}_L${b.line}.ts`;

const ACL = { name: 'docs-app', password: 'docs-app-password-0123456789' };
let server: RedisTestServer;
let admin: Redis;
let cluster: RedisTestCluster | null = null;
let sentinel: RedisSentinelSet | null = null;
const SENTINEL_USER = { name: 'docs-sentinel-app', password: 'docs-sentinel-password-0123456789' };
const typeErrors = new Map<string, string[]>();
let tscFailure = '';

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'blocks'), { recursive: true });
  for (const b of blocks) writeFileSync(join(work, 'blocks', fileOf(b)), `${b.code}\nexport {};\n`);
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.base.json', include: ['blocks'] }));
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const check = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', 'tsconfig.json'], { cwd: work, encoding: 'utf8' });
  for (const line of check.stdout.split('\n')) {
    const match = /^blocks\/([^(]+)\(\d+,\d+\): (error .*)$/.exec(line.replace(/\\/g, '/'));
    if (match) typeErrors.set(match[1] ?? '', [...(typeErrors.get(match[1] ?? '') ?? []), line]);
  }
  // A failed run must be explained by errors in blocks; anything else (a broken config) fails every block.
  if (check.status !== 0 && typeErrors.size === 0) tscFailure = `tsc failed: ${check.stdout}${check.stderr}`;
  [server, cluster, sentinel] = await Promise.all([
    startRedis({ tls: true, password: 'docs-admin-password', users: [ACL] }),
    blocks.some((b) => b.needsCluster) ? startRedisCluster() : Promise.resolve(null),
    blocks.some((b) => b.needsSentinel) ? startRedisSentinelSet({ user: SENTINEL_USER }) : Promise.resolve(null),
  ]);
  admin = new Redis(server.url(), { tls: { ca: server.tls?.ca ?? '' }, maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined);
});

afterAll(async () => {
  admin?.disconnect();
  await Promise.all([server?.[Symbol.asyncDispose](), cluster?.[Symbol.asyncDispose](), sentinel?.[Symbol.asyncDispose]()]);
});

function run(block: DocBlock): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    REDIS_URL: `rediss://localhost:${server.port}`,
    REDIS_TLS_CA_PATH: server.tls?.caPath,
    REDIS_ACL_USERNAME: ACL.name,
    REDIS_ACL_PASSWORD: ACL.password,
    REDIS_ENCRYPTION_KEY: generateFernetKey(),
    ...(block.needsCluster && cluster
      ? { REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(','), ENVIRONMENT: 'testing', REDIS_USE_TLS: 'false' }
      : {}),
    ...(block.needsSentinel && sentinel
      ? {
          REDIS_SENTINELS: sentinel.sentinels.map((n) => `${n.host}:${n.port}`).join(','),
          REDIS_SENTINEL_NAME: sentinel.name,
          REDIS_ACL_USERNAME: SENTINEL_USER.name,
          REDIS_ACL_PASSWORD: SENTINEL_USER.password,
          ENVIRONMENT: 'testing',
          REDIS_USE_TLS: 'false',
        }
      : {}),
  };
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(work, 'blocks', fileOf(block))], { cwd: resolve(here, '..'), env });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('documentation code blocks', () => {
  it('found blocks in README.md and in every guide', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThan(0);
    for (const doc of docs.filter((d) => d !== 'docs/cli.md')) expect(blocks.some((b) => b.file === doc), doc).toBe(true);
  });

  for (const block of blocks) {
    it(`${block.file}:${block.line} type-checks, runs and prints what it says`, async () => {
      expect(tscFailure).toBe('');
      expect(typeErrors.get(fileOf(block)) ?? []).toEqual([]);
      await admin.flushall();
      const { code, output } = await run(block);
      expect(code, output).toBe(0);
      for (const text of block.expectedOutput) expect(output, `missing "${text}"`).toContain(text);
    });
  }
});
