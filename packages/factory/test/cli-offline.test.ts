import { Fernet } from '@cache/encryption';
import { describe, expect, it } from 'vitest';
import { json, runCli } from './run-cli.js';

const SECURE_ENV = {
  ENVIRONMENT: 'production',
  REDIS_ACL_USERNAME: 'app',
  REDIS_ACL_PASSWORD: 'a-long-acl-password-0123',
  REDIS_TLS_CA_PATH: '/dev/null',
  REDIS_ENCRYPTION_KEY: Fernet.generateKey(),
  CACHE_PRESET: 'production',
  CACHE_REDIS_URL: 'rediss://cache.internal:6380',
};

describe('cache (usage and exit codes)', () => {
  it('with no command prints the usage on stderr and exits 2; --help prints it on stdout and exits 0', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: cache <command>');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 problem found, 2 usage error');
  });

  it('an unknown command or option is a usage error (exit 2) naming it, with where to look', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const option = await runCli(['keygen', '--bogus']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--bogus/);
    expect(option.stderr).toContain('cache keygen --help');
  });

  it('refuses a URL that is not redis:// or rediss:// (exit 2) without echoing its password', async () => {
    const run = await runCli(['stats', 'http://user:hunter2hunter2@host:1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unsupported scheme');
    expect(run.stderr).not.toContain('hunter2hunter2');
  });

  it('--json errors are one JSON document with message, fix and exit code', async () => {
    const run = await runCli(['stats', 'ftp://x', '--json']);
    expect(run.code).toBe(2);
    expect(json<{ error: { exitCode: number; fix: string } }>(run).error).toMatchObject({ exitCode: 2, fix: expect.stringContaining('rediss://') });
  });
});

describe('cache keygen', () => {
  it('prints a fresh Fernet key that encrypts and decrypts, and a different one each time', async () => {
    const [a, b] = await Promise.all([runCli(['keygen']), runCli(['keygen'])]);
    expect(a.code).toBe(0);
    const key = a.stdout.trim();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(b.stdout.trim()).not.toBe(key);
    const fernet = new Fernet(key);
    expect(fernet.decrypt(fernet.encrypt('round trip')).toString()).toBe('round trip');
    expect(a.stderr).toContain('REDIS_ENCRYPTION_KEY');
  });

  it('--json gives { key, variable }', async () => {
    const run = await runCli(['keygen', '--json']);
    const out = json<{ key: string; variable: string }>(run);
    expect(out.variable).toBe('REDIS_ENCRYPTION_KEY');
    expect(Buffer.from(out.key.replace(/-/g, '+').replace(/_/g, '/'), 'base64')).toHaveLength(32);
  });
});

describe('cache validate', () => {
  it('accepts a production environment with an ACL user, TLS and an encryption key (exit 0), printing no secret', async () => {
    const run = await runCli(['validate'], SECURE_ENV);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('environment: production');
    expect(run.stdout).toContain('preset: production');
    expect(run.stdout).toContain('security: HIGH — TLS on, verification on, authentication ACL');
    expect(run.stdout).toContain('valid');
    for (const secret of [SECURE_ENV.REDIS_ACL_PASSWORD, SECURE_ENV.REDIS_ENCRYPTION_KEY]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('lists every problem with its source and exits 1: no credentials in production, no encryption key, an unknown preset', async () => {
    const run = await runCli(['validate', '--json'], { ENVIRONMENT: 'production', CACHE_PRESET: 'prodution' });
    expect(run.code).toBe(1);
    const report = json<{ valid: boolean; errors: Array<{ source: string; message: string }> }>(run);
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => e.source).sort()).toEqual(['encryption', 'preset', 'security']);
    expect(report.errors.find((e) => e.source === 'preset')?.message).toContain('UNKNOWN_PRESET');
    expect(report.errors.find((e) => e.source === 'security')?.message).toContain('MANDATORY_AUTHENTICATION');
    expect(report.errors.find((e) => e.source === 'encryption')?.message).toContain('ENCRYPTION_KEY_REQUIRED');
  });

  it('a malformed variable is an error naming the variable, not a silent default', async () => {
    const run = await runCli(['validate', '--json'], { ...SECURE_ENV, REDIS_VERIFY_CERTIFICATES: 'maybe' });
    expect(run.code).toBe(1);
    expect(JSON.stringify(json(run))).toContain('REDIS_VERIFY_CERTIFICATES');
  });
});
