import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from './run-cli.js';

interface CheckReport {
  secure: boolean;
  score: number;
  level: string;
  tls: boolean;
  authentication: string | null;
  findings: Array<{ severity: string; finding: string; fix: string }>;
}

let open: RedisTestServer;
let password: RedisTestServer;

beforeAll(async () => {
  [open, password] = await Promise.all([startRedis(), startRedis({ password: 'short-pw' })]);
});

afterAll(async () => {
  await Promise.all([open?.[Symbol.asyncDispose](), password?.[Symbol.asyncDispose]()]);
});

describe('cache check against insecure servers', () => {
  it('an open server (no TLS, no password, admin commands, unbounded memory): exit 1, each finding with its fix', async () => {
    const run = await runCli(['check', open.url(), '--json']);
    expect(run.code, run.stderr).toBe(1);
    const report = json<CheckReport>(run);
    expect(report).toMatchObject({ secure: false, level: 'LOW', tls: false, authentication: null });
    const byFinding = (text: string) => report.findings.find((f) => f.finding.startsWith(text));
    expect(byFinding('No authentication configured')).toMatchObject({ severity: 'critical', fix: expect.stringContaining('ACL SETUSER') });
    expect(byFinding('Unencrypted connection')).toMatchObject({ severity: 'critical', fix: expect.stringContaining('rediss://') });
    expect(byFinding('The server answers clients that send no password')).toMatchObject({ severity: 'critical', fix: expect.stringContaining('ACL SETUSER default off') });
    expect(byFinding('This user may run administrative commands')).toMatchObject({ severity: 'warning' });
    expect(byFinding('maxmemory is 0')).toMatchObject({ fix: expect.stringContaining('CONFIG SET maxmemory') });
    expect(byFinding('maxmemory-policy is noeviction')).toMatchObject({ fix: expect.stringContaining('allkeys-lru') });
  });

  it('a short password over plain TCP: authenticated but still not secure, the weak password flagged; the password never printed', async () => {
    const run = await runCli(['check', password.url()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NOT SECURE');
    expect(run.stdout).toContain('authentication AUTH');
    expect(run.stdout).toContain('[warning] Weak password');
    expect(run.stdout).not.toContain('answers clients that send no password');
    expect(run.stdout + run.stderr).not.toContain('short-pw');
  });

  it('nothing listening: exit 3 with ECONNREFUSED and the fix', async () => {
    await open.stop();
    const run = await runCli(['check', `redis://127.0.0.1:${open.port}`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).toContain('Nothing listens there');
  });
});
