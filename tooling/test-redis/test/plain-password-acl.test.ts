import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisTestServer } from '../src/index.js';
import { ClientPool } from './clients.js';

const pool = new ClientPool();
afterEach(() => pool.disconnectAll());

describe('plain server', () => {
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  it('listens on loopback and serves SET/GET over redis://', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url()).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.tls).toBeNull();
    expect(server.password).toBeNull();
    const client = pool.redis(server.url());
    await client.set('plain:key', 'value');
    expect(await client.get('plain:key')).toBe('value');
  });

  it('runs with persistence off', async () => {
    const client = pool.redis(server.url());
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
  });
});

describe('password (requirepass) server', () => {
  const password = 'p@ss word:/?#';
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await startRedis({ password });
  });
  afterAll(() => server.stop());

  it('accepts the right password, URL-encoded in url()', async () => {
    expect(server.password).toBe(password);
    expect(server.url()).toBe(`redis://:${encodeURIComponent(password)}@127.0.0.1:${server.port}`);
    const client = pool.redis(server.url());
    await client.set('auth:key', '1');
    expect(await client.get('auth:key')).toBe('1');
  });

  it('rejects a wrong password with WRONGPASS', async () => {
    const client = pool.redis(server.url({ password: 'wrong' }), { lazyConnect: true });
    await expect(client.connect()).rejects.toThrow();
    expect((await pool.firstError(client)).message).toMatch(/^WRONGPASS/);
  });

  it('rejects a client without a password with NOAUTH', async () => {
    const client = pool.redis(`redis://127.0.0.1:${server.port}`, { lazyConnect: true });
    await expect(client.connect()).rejects.toThrow();
    expect((await pool.firstError(client)).message).toMatch(/^NOAUTH/);
  });
});

describe('ACL users', () => {
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await startRedis({
      password: 'default-pw',
      users: [
        { name: 'alice', password: 'alice-pw' },
        { name: 'reader', password: 'reader-pw', rules: ['~*', '+get', '+ping', '+hello', '+client'] },
      ],
    });
  });
  afterAll(() => server.stop());

  it('lets a full-rights ACL user connect and write', async () => {
    const client = pool.redis(server.url({ username: 'alice', password: 'alice-pw' }));
    await client.set('acl:key', 'from-alice');
    expect(await client.get('acl:key')).toBe('from-alice');
    expect(await client.acl('WHOAMI')).toBe('alice');
  });

  it('denies a restricted ACL user a command outside its rules with NOPERM', async () => {
    const client = pool.redis(server.url({ username: 'reader', password: 'reader-pw' }), { enableReadyCheck: false });
    expect(await client.get('acl:key')).toBe('from-alice');
    await expect(client.set('acl:key', 'from-reader')).rejects.toThrow(/NOPERM/);
    expect(await client.get('acl:key')).toBe('from-alice');
  });

  it('rejects an ACL user with a wrong password with WRONGPASS', async () => {
    const client = pool.redis(server.url({ username: 'alice', password: 'nope' }), { lazyConnect: true });
    await expect(client.connect()).rejects.toThrow();
    expect((await pool.firstError(client)).message).toMatch(/^WRONGPASS/);
  });
});

describe('option validation', () => {
  it('rejects an empty password before starting anything', async () => {
    await expect(startRedis({ password: '' })).rejects.toThrow(/non-empty/);
  });

  it('reports redis-server\'s own reason when a flag is bad', async () => {
    await expect(startRedis({ args: ['--no-such-directive', 'x'] })).rejects.toThrow(/Bad directive/);
  });

  it('rejects an ACL user name with whitespace', async () => {
    await expect(startRedis({ users: [{ name: 'a b', password: 'x' }] })).rejects.toThrow(/user name/);
  });
});
