import { once } from 'node:events';
import { connect } from 'node:net';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedis, startTcpProxy } from '../src/index.js';
import { ClientPool } from './clients.js';

const pool = new ClientPool();
afterEach(() => pool.disconnectAll());

/** Options for a client that must survive an outage: quick reconnects, no queued commands. */
const RECONNECTING = { retryStrategy: () => 50, enableOfflineQueue: false, maxRetriesPerRequest: 0 };

async function ready(client: Redis): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

function tcpConnect(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('stop, kill and restart keep the port', () => {
  it('stop() is graceful and idempotent; restart() serves again on the same port and a client reconnects', async () => {
    await using server = await startRedis({ password: 'pw' });
    const port = server.port;
    const client = pool.redis(server.url(), RECONNECTING);
    await ready(client);
    await client.set('k', 'v');

    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    expect(server.isRunning()).toBe(false);
    expect(await tcpConnect(port)).toBe('ECONNREFUSED');
    await expect(client.get('k')).rejects.toThrow();

    await server.restart();
    expect(server.isRunning()).toBe(true);
    expect(server.port).toBe(port);
    await ready(client);
    // Persistence is off: a restart starts empty.
    expect(await client.get('k')).toBeNull();
    await client.set('k', 'after-restart');
    expect(await client.get('k')).toBe('after-restart');
  });

  it('kill() crashes the server (SIGKILL) and loses data; restart() reuses the port', async () => {
    await using server = await startRedis();
    const client = pool.redis(server.url(), RECONNECTING);
    await ready(client);
    await client.set('k', 'v');

    await server.kill();
    await server.kill();
    expect(server.isRunning()).toBe(false);
    expect(await tcpConnect(server.port)).toBe('ECONNREFUSED');

    await server.restart();
    await ready(client);
    expect(await client.get('k')).toBeNull();
  });

  it('restart() of a running TLS server keeps its port and certificates', async () => {
    await using server = await startRedis({ tls: true });
    const material = server.tls;
    await server.restart();
    expect(server.tls).toBe(material);
    const client = pool.redis(server.url(), { tls: { ca: material?.ca } });
    expect(await client.ping()).toBe('PONG');
  });

  it('pause() hangs the server with its sockets open (commands time out); resume() answers again; stop() ends a paused server', async () => {
    await using server = await startRedis();
    const client = pool.redis(server.url(), { commandTimeout: 300, maxRetriesPerRequest: 0 });
    await ready(client);
    await client.set('k', 'v');

    await Promise.all([server.pause(), server.pause()]);
    expect(server.isRunning()).toBe(true);
    await expect(client.get('k')).rejects.toThrow(/timed out/);
    expect(client.status).toBe('ready');

    await server.resume();
    expect(await client.get('k')).toBe('v');
    await server.pause();
    await server.stop();
    expect(server.isRunning()).toBe(false);
    expect(await tcpConnect(server.port)).toBe('ECONNREFUSED');
  });

  it('a stopped server can be disposed again without error', async () => {
    const server = await startRedis();
    await server.stop();
    await server[Symbol.asyncDispose]();
    expect(server.isRunning()).toBe(false);
  });
});

describe('TCP proxy in front of a server', () => {
  it('cut() breaks a live client and refuses new connections; restore() lets it reconnect to the same data', async () => {
    await using server = await startRedis();
    await using proxy = await startTcpProxy({ host: server.host, port: server.port });
    expect(proxy.port).not.toBe(server.port);
    const client = pool.redis(`redis://${proxy.host}:${proxy.port}`, RECONNECTING);
    await ready(client);
    await client.set('through-proxy', 'kept');
    expect(await client.get('through-proxy')).toBe('kept');

    await proxy.cut();
    expect(proxy.isCut()).toBe(true);
    await expect(client.get('through-proxy')).rejects.toThrow();
    expect(await tcpConnect(proxy.port)).toBe('ECONNREFUSED');
    expect(server.isRunning()).toBe(true);

    await proxy.restore();
    expect(proxy.isCut()).toBe(false);
    await ready(client);
    expect(await client.get('through-proxy')).toBe('kept');
  });

  it('cut and restore are idempotent and close() ends everything', async () => {
    await using server = await startRedis();
    const proxy = await startTcpProxy({ host: server.host, port: server.port });
    await Promise.all([proxy.cut(), proxy.cut()]);
    await Promise.all([proxy.restore(), proxy.restore()]);
    expect(await tcpConnect(proxy.port)).toBe('connected');
    await proxy.close();
    await proxy.close();
    expect(await tcpConnect(proxy.port)).toBe('ECONNREFUSED');
  });
});
