// Part 2: the secure Redis stack on a redis-server the demo starts itself — TLS-only with
// certificates generated now, an ACL user, Fernet-encrypted values, an L1 memory tier — and what
// happens when Redis goes away and comes back.
import { silentLogger } from '@cache/core';
import { generateFernetKey } from '@cache/encryption';
import { GenericRedisCache } from '@cache/redis';
import { SecurityConfig } from '@cache/security';
import { startRedis } from '@cache-tooling/test-redis';
import { randomBytes } from 'node:crypto';
import { QUESTIONS, summarize, type Answer } from './model.js';

/** Runs the questions through GenericRedisCache on a TLS + ACL server, then through an outage. */
export async function redisDemo(): Promise<void> {
  const user = { name: 'demo-app', password: randomBytes(18).toString('base64url') };
  let server;
  try {
    server = await startRedis({ tls: true, password: randomBytes(18).toString('base64url'), users: [user] });
  } catch (error) {
    console.log(`\n== Redis stack skipped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return;
  }
  // Production rules apply: TLS with verification, ACL credentials and encryption are all mandatory.
  const env = { ENVIRONMENT: 'production' };
  const cache = new GenericRedisCache({
    redisUrl: `rediss://localhost:${server.port}`,
    // The config's encryption key encrypts every value (and counts in the security score).
    securityConfig: new SecurityConfig(
      { tlsCaPath: server.tls?.caPath ?? null, aclUsername: user.name, aclPassword: user.password, encryptionKey: generateFernetKey() },
      { env, logger: silentLogger },
    ),
    env,
    logger: silentLogger,
    keyPrefix: 'demo:',
    connectTimeoutMs: 1000,
    commandTimeoutMs: 1000,
    reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
  });
  try {
    await cache.connect();
    const security = await cache.validateSecurity();
    console.log(`\n== Redis stack: rediss://localhost:${server.port} as ACL user "${user.name}", security score ${security?.securityScore ?? '?'}/100 (${security?.securityLevel ?? '?'}), values encrypted\n`);
    const ask = async (text: string, i: number): Promise<string> => {
      const key = `ai:summarize:${i}`;
      const hit = await cache.get<Answer>(key);
      if (hit) return `HIT  ${hit.summary}`;
      const outcome = await cache.set(key, await summarize(text), 3600);
      return `MISS stored=${outcome}`;
    };
    for (const round of [1, 2]) {
      console.log(`round ${round}`);
      for (const [i, text] of QUESTIONS.entries()) console.log(`  ${await ask(text, i)}`);
    }

    await server.kill();
    console.log('\nredis-server killed:');
    console.log(`  set while down → ${await cache.set('ai:summarize:0', { summary: 'newer answer', model: 'demo-llm-2' })}`);
    console.log(`  get while down → ${(await cache.get<Answer>('ai:summarize:0'))?.summary ?? 'null'} (from L1)`);
    await server.restart();
    for (let tries = 0; !(await cache.connect()) && tries < 100; tries++) await new Promise((r) => setTimeout(r, 50));
    const stats = cache.getStats();
    console.log(`redis-server restarted: state ${stats.connectionState}, pending invalidations ${stats.pendingInvalidations}`);
    console.log(`  sets=${stats.sets} = stored ${stats.setsRedis} + l1_only ${stats.setsL1Only} + dropped ${stats.setsDropped}; hits L1 ${stats.hitsL1}, Redis ${stats.hitsRedis}, misses ${stats.misses}`);
  } finally {
    await cache.disconnect();
    await server.stop();
  }
}
