import { X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisTestServer } from '../src/index.js';
import { ClientPool } from './clients.js';

const pool = new ClientPool();
afterEach(() => pool.disconnectAll());

describe('TLS-only server with certificates generated at test time', () => {
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await startRedis({ tls: true, password: 'tls-pw', users: [{ name: 'alice', password: 'alice-pw' }] });
  });
  afterAll(() => server.stop());

  it('issues a server certificate for localhost and 127.0.0.1 signed by its CA, plus an unrelated CA', () => {
    const material = server.tls;
    if (material === null) throw new Error('expected TLS material');
    const cert = new X509Certificate(material.cert);
    const ca = new X509Certificate(material.ca);
    const otherCa = new X509Certificate(material.otherCa);
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(otherCa)).toBe(false);
    expect(ca.ca && otherCa.ca).toBe(true);
    expect(material.key).toContain('PRIVATE KEY');
  });

  it('lets ioredis connect over rediss:// with the CA', async () => {
    expect(server.url()).toBe(`rediss://:tls-pw@localhost:${server.port}`);
    const client = pool.redis(server.url(), { tls: { ca: server.tls?.ca } });
    await client.set('tls:key', 'secret-free');
    expect(await client.get('tls:key')).toBe('secret-free');
  });

  it('lets an ACL user connect over TLS', async () => {
    const client = pool.redis(server.url({ username: 'alice', password: 'alice-pw' }), { tls: { ca: server.tls?.ca } });
    expect(await client.acl('WHOAMI')).toBe('alice');
  });

  it('resets a plain (non-TLS) client on the TLS port', async () => {
    const client = pool.redis(`redis://:tls-pw@127.0.0.1:${server.port}`, { lazyConnect: true });
    await expect(client.connect()).rejects.toThrow();
    expect((await pool.firstError(client)).message).toMatch(/ECONNRESET/);
  });

  it('rejects the server when the client trusts only an unknown CA (the server sends its CA in the chain)', async () => {
    const client = pool.redis(server.url(), { tls: { ca: server.tls?.otherCa }, lazyConnect: true });
    await expect(client.connect()).rejects.toThrow();
    const error = (await pool.firstError(client)) as NodeJS.ErrnoException;
    expect(error.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('rejects a host name the certificate does not cover', async () => {
    const client = pool.redis(`rediss://:tls-pw@127.0.0.1:${server.port}`, {
      tls: { ca: server.tls?.ca, servername: 'wrong.example' },
      lazyConnect: true,
    });
    await expect(client.connect()).rejects.toThrow();
    expect(((await pool.firstError(client)) as NodeJS.ErrnoException).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('has no plain port listening', async () => {
    const client = pool.redis(server.url(), { tls: { ca: server.tls?.ca } });
    expect(await client.config('GET', 'port')).toEqual(['port', '0']);
  });
});
