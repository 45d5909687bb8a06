import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let out = '';

beforeAll(() => {
  out = execFileSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
});

describe('demo (the README main job)', () => {
  it('in memory: misses once per question, then serves every repeat from the encrypted cache', () => {
    const memory = out.slice(0, out.indexOf('== Redis stack'));
    expect(memory.match(/^ {2}MISS /gm)).toHaveLength(2);
    expect(memory.match(/^ {2}HIT /gm)).toHaveLength(4);
    expect(memory).toContain('rejected bad input: INVALID_TTL');
    expect(memory).toContain('hit rate 66.7% over 6 lookups');
    expect(memory).toContain('"encryptionOperations":2');
  });

  it('on a TLS + ACL redis-server it started: stores, hits, degrades to L1 when killed and recovers', () => {
    const redis = out.slice(out.indexOf('== Redis stack'));
    expect(redis).toMatch(/as ACL user "demo-app", security score 95\/100 \(HIGH\), values encrypted/);
    expect(redis.match(/MISS stored=stored/g)).toHaveLength(2);
    expect(redis.match(/^ {2}HIT /gm)).toHaveLength(2);
    expect(redis).toContain('set while down → l1_only');
    expect(redis).toContain('get while down → newer answer (from L1)');
    expect(redis).toContain('redis-server restarted: state ready, pending invalidations 0');
    expect(redis).toContain('sets=3 = stored 2 + l1_only 1 + dropped 0');
  });
});
