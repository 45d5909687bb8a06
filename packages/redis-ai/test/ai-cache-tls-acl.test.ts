import { silentLogger } from '@cache/core';
import { GenericRedisCache } from '@cache/redis';
import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AIResponseCache, LlmRequestCache, type LlmRequest } from '../src/index.js';
import { Fixture, newEncryption, securityFor, testEnv } from './helpers.js';

const USER = 'ai-user';
const PASS = 'ai-user-password-123';
let server: RedisTestServer;
const fx = new Fixture();

beforeAll(async () => {
  server = await startRedis({ tls: true, password: 'default-user-pass', users: [{ name: USER, password: PASS }] });
});
afterEach(() => fx.closeAll());
afterAll(async () => {
  await server.stop();
});

function tlsCache(password: string): AIResponseCache {
  return fx.track(
    new AIResponseCache({
      redisUrl: `rediss://localhost:${server.port}`,
      securityConfig: securityFor({ useTls: true, verifyCertificates: true, tlsCaPath: server.tls!.caPath, aclUsername: USER, aclPassword: password }),
      encryption: newEncryption(),
      env: testEnv,
      logger: silentLogger,
      connectTimeoutMs: 1500,
      reconnect: { baseDelayMs: 20, maxDelayMs: 200 },
    }),
  );
}

describe('security passthrough on a TLS-only server with an ACL user (checklist 20)', () => {
  it('connects over TLS with the configured ACL user and round-trips an AI entry', async () => {
    const cache = tlsCache(PASS);
    expect(await cache.connect()).toBe(true);
    expect(cache.getSecurityStatus().configuration.tlsEnabled).toBe(true);
    const key = cache.buildKey('secure text', 'summarize');
    expect(await cache.set(key, { summary: 'ok' })).toBe('stored');
    expect(await cache.get(key)).toEqual({ summary: 'ok' });
    expect(await cache.invalidateByOperation('summarize')).toBe(1);
  });

  it('does not connect with a wrong password', async () => {
    const cache = tlsCache('wrong-password-456');
    expect(await cache.connect()).toBe(false);
    expect(cache.connectionState).not.toBe('ready');
  });

  it('the LLM request cache stores and serves through the same secure path', async () => {
    const storage = fx.track(
      new GenericRedisCache({
        redisUrl: `rediss://localhost:${server.port}`,
        securityConfig: securityFor({ useTls: true, verifyCertificates: true, tlsCaPath: server.tls!.caPath, aclUsername: USER, aclPassword: PASS }),
        encryption: newEncryption(),
        env: testEnv,
        logger: silentLogger,
        keyPrefix: 'llm-tls:',
      }),
    );
    const llm = new LlmRequestCache(storage, { logger: silentLogger });
    const request: LlmRequest = { provider: 'openai.chat', modelId: 'gpt-4o', prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] };
    const response = { content: [{ type: 'text', text: 'hi there' }], finishReason: { unified: 'stop', raw: 'stop' }, warnings: [] };
    expect(await llm.store(request, response, { tenant: 'acme' })).toMatchObject({ stored: true });
    expect(await llm.lookup(request, { tenant: 'acme' })).toMatchObject({ status: 'hit', response });
  });
});
