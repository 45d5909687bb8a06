import net from 'node:net';
import { inspect } from 'node:util';
import { ManualClock, isInfrastructureError, silentLogger } from '@cache/core';
import { freePort, startRedis } from '@cache-tooling/test-redis';
import type { RedisTestServer } from '@cache-tooling/test-redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheSecurityManager, SecurityConfig } from '../src/index.js';
import type { SecurityConfigOptions, SecurityManagerOptions } from '../src/index.js';
import { allEnded, guardAgainstLeaks, ioredisConnector, recordedSleep, recordingConnector } from './live-support.js';
import { captureLogger } from './support.js';

const PASSWORD = 'password123';

guardAgainstLeaks();

let server: RedisTestServer;
let openServer: RedisTestServer;
let deadPort: number;

beforeAll(async () => {
  [server, openServer, deadPort] = await Promise.all([startRedis({ password: PASSWORD }), startRedis(), freePort()]);
});
afterAll(async () => {
  await Promise.all([server?.[Symbol.asyncDispose](), openServer?.[Symbol.asyncDispose]()]);
});

const urlOf = (s: RedisTestServer): string => `redis://127.0.0.1:${s.port}`;

/** Runs `body` against a loopback port that accepts connections but never sends a byte, then closes it. */
async function withSilentPort(body: (port: number) => Promise<void>): Promise<void> {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    await body((silent.address() as net.AddressInfo).port);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
}

function managerFor(options: SecurityConfigOptions, extra: SecurityManagerOptions = {}): RedisCacheSecurityManager {
  const config = new SecurityConfig({ useTls: false, connectionTimeout: 2, socketTimeout: 2, ...options }, { env: {}, logger: silentLogger });
  return new RedisCacheSecurityManager(config, { connector: ioredisConnector, logger: silentLogger, ...extra });
}

describe('password server (real redis-server with requirepass)', () => {
  it('the right password connects, records the event and a successful operation', async () => {
    const ops: [string, boolean][] = [];
    const m = managerFor({ redisAuth: PASSWORD }, { metricsRecorder: { recordOperation: (n, _ms, ok) => void ops.push([n, ok]) } });
    const client = (await m.createSecureConnection(urlOf(server))) as Redis;
    try {
      expect(await client.ping()).toBe('PONG');
      expect(await client.acl('WHOAMI')).toBe('default');
    } finally {
      await client.quit();
    }
    expect(ops).toEqual([['secure_connection_create', true]]);
    expect(m.getSecurityEvents()).toEqual([
      expect.objectContaining({ eventType: 'connection_created', details: { securityLevel: 'MEDIUM', tlsEnabled: false, authConfigured: true } }),
    ]);
  });

  it('a wrong password fails with CONNECTION_FAILED carrying WRONGPASS (no password anywhere in the error) after maxRetries + 1 attempts, sleeping 500 then 1000 ms (sleep recorded, not waited)', async () => {
    const logger = captureLogger();
    const ops: boolean[] = [];
    const { connector, created } = recordingConnector();
    const { sleep, sleeps } = recordedSleep();
    const m = managerFor(
      { redisAuth: 'wrong-password-SECRET', maxRetries: 2, retryDelay: 0.5 },
      { connector, sleep, logger, metricsRecorder: { recordOperation: (_n, _ms, ok) => void ops.push(ok) } },
    );
    const error = await m.createSecureConnection(urlOf(server)).catch((e: unknown) => e);
    expect(isInfrastructureError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', context: { attempts: 3, last_error: expect.stringMatching(/^WRONGPASS/) } });
    expect((error as Error).message).toMatch(/after 3 attempt\(s\): WRONGPASS/);
    expect(((error as Error).cause as Error).message).toMatch(/^WRONGPASS/);
    expect(sleeps).toEqual([500, 1000]);
    expect(logger.messages('warn')).toEqual([
      expect.stringMatching(/attempt 1\/3 failed: WRONGPASS/),
      expect.stringMatching(/attempt 2\/3 failed: WRONGPASS/),
      expect.stringMatching(/attempt 3\/3 failed: WRONGPASS/),
    ]);
    expect(logger.messages('error')).toHaveLength(1);
    expect(JSON.stringify(logger.entries)).not.toContain('SECRET');
    // The cause is sanitised: ioredis' error carried the failed `HELLO 3 AUTH default <password>` command.
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain('SECRET');
    expect(ops).toEqual([false]);
    expect(created).toHaveLength(3);
    expect(await allEnded(created)).toBe(true);
  });

  it('no credentials against a password server fail with NOAUTH', async () => {
    const m = managerFor({ maxRetries: 0 });
    await expect(m.createSecureConnection(urlOf(server))).rejects.toMatchObject({
      code: 'CONNECTION_FAILED',
      context: { attempts: 1, last_error: expect.stringMatching(/NOAUTH/) },
    });
  });

  it('an injected faulty connector (real refusals on a dead port, then the server) takes 3 attempts, sleeps 500 then 1000 ms, leaks no client', async () => {
    const { connector, created } = recordingConnector();
    const { sleep, sleeps } = recordedSleep();
    let calls = 0;
    const m = managerFor(
      { redisAuth: PASSWORD, maxRetries: 2, retryDelay: 0.5 },
      {
        sleep,
        connector: (params) => {
          calls += 1;
          return connector(calls <= 2 ? { ...params, url: `redis://127.0.0.1:${deadPort}` } : params);
        },
      },
    );
    const client = await m.createSecureConnection(urlOf(server));
    expect(await client.ping()).toBe('PONG');
    expect(calls).toBe(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(created.slice(0, 2).map((c) => c.status)).toEqual(['end', 'end']);
    await client.quit?.();
    expect(await allEnded(created)).toBe(true);
  });

  it('an INFO reply without redis_version (injected fault on a real client) only warns', async () => {
    const logger = captureLogger();
    const m = managerFor(
      { redisAuth: PASSWORD },
      {
        logger,
        connector: async (params) => {
          const real = await ioredisConnector(params);
          return { ping: () => real.ping(), info: async () => '# Server\r\nnot_redis:1\r\n', quit: () => real.quit?.() ?? Promise.resolve() };
        },
      },
    );
    const client = await m.createSecureConnection(urlOf(server));
    await client.quit?.();
    expect(logger.messages('warn')).toEqual([expect.stringMatching(/no redis_version/)]);
  });
});

describe('validateConnectionSecurity on real servers', () => {
  it("redisAuth 'password123' without TLS scores 55 (MEDIUM band 60, minus the weak password; plain text is the band's gap, not a further cost), each finding listed once", async () => {
    const ops: [string, boolean][] = [];
    const m = managerFor({ redisAuth: PASSWORD }, { metricsRecorder: { recordOperation: (n, _ms, ok) => void ops.push([n, ok]) } });
    const client = await m.createSecureConnection(urlOf(server));
    try {
      const result = await m.validateConnectionSecurity(client);
      expect(ops).toEqual([
        ['secure_connection_create', true],
        ['security_validation', true],
      ]);
      expect(result.securityScore).toBe(55);
      expect(result.securityLevel).toBe('LOW');
      expect(m.config.securityLevel).toBe('MEDIUM');
      expect(result.isSecure).toBe(false);
      expect(result.authMethod).toBe('AUTH');
      expect(result.vulnerabilities).toEqual([expect.stringMatching(/^Unencrypted connection.*plain text/), expect.stringMatching(/^Weak password/)]);
      expect(result.detailedChecks).toEqual({ connectivity: 'OK', authentication: 'AUTH configured', encryption: 'Disabled' });
      expect(result.recommendations).toHaveLength(9);
      expect(result.recommendations.slice(0, 3)).toEqual([
        expect.stringMatching(/^Use a dedicated ACL user .*shorter than 16 characters$/),
        expect.stringMatching(/^Enable TLS/),
        expect.stringMatching(/^Encrypt cached values/),
      ]);
    } finally {
      await client.quit?.();
    }
  });

  it('no TLS and no authentication scores 0 with exactly "No authentication configured"', async () => {
    const m = managerFor({});
    const client = await m.createSecureConnection(urlOf(openServer));
    try {
      const result = await m.validateConnectionSecurity(client);
      expect(result.securityScore).toBe(0);
      expect(result.isSecure).toBe(false);
      expect(result.vulnerabilities.filter((v) => v === 'No authentication configured')).toHaveLength(1);
      expect(result.vulnerabilities.filter((v) => v.startsWith('Unencrypted connection'))).toHaveLength(1);
      expect(result.vulnerabilities).toHaveLength(2);
      expect(result.detailedChecks['authentication']).toBe('None');
    } finally {
      await client.quit?.();
    }
  });

  it('a connection timeout above 60 s is a warning, not a vulnerability', async () => {
    const m = managerFor({ redisAuth: PASSWORD, connectionTimeout: 90 });
    const client = await m.createSecureConnection(urlOf(server));
    try {
      const result = await m.validateConnectionSecurity(client);
      expect(result.warnings).toEqual([expect.stringMatching(/90 s/)]);
      expect(result.securityScore).toBe(55);
    } finally {
      await client.quit?.();
    }
  });

  it('a client whose server went away resolves a result listing the connection failure', async () => {
    await using temporary = await startRedis();
    const m = managerFor({});
    const client = await m.createSecureConnection(urlOf(temporary));
    await temporary.kill();
    const result = await m.validateConnectionSecurity(client);
    expect(result.vulnerabilities[0]).toMatch(/^Connection failure: /);
    expect(result.detailedChecks['connectivity']).toMatch(/^FAILED: /);
    expect(result.detailedChecks['authentication']).toMatch(/^FAILED: /);
    expect(await allEnded([client as Redis]), 'the client ended by itself instead of reconnecting').toBe(true);
  });

  it('records events (capped at 1000, newest last) and status only with logSecurityEvents', async () => {
    const clock = new ManualClock(1_000);
    const logger = captureLogger();
    const m = managerFor({}, { clock, logger });
    const quiet = managerFor({ logSecurityEvents: false });
    const client = await ioredisConnector(m.buildConnectionParams(urlOf(openServer)));
    try {
      for (let i = 0; i < 1001; i++) {
        clock.advance(1);
        await m.validateConnectionSecurity(client);
      }
      await quiet.validateConnectionSecurity(client);
    } finally {
      await client.quit?.();
    }
    const events = m.getSecurityEvents();
    expect(events).toHaveLength(1000);
    expect(events[0]?.timestamp).toBe(1_002);
    expect(events[999]).toMatchObject({
      timestamp: 2_001,
      eventType: 'security_validation',
      securityLevel: 'LOW',
      details: { securityScore: 0, isSecure: false, vulnerabilitiesCount: 2 },
    });
    expect(logger.messages('info').filter((l) => l === 'Security event: security_validation')).toHaveLength(1001);
    expect(quiet.getSecurityEvents()).toEqual([]);
    expect(quiet.getSecurityStatus().securityEventsCount).toBe(0);
    const report = m.generateSecurityReport();
    const eventLines = report.slice(report.indexOf('RECENT SECURITY EVENTS:')).split('\n').filter((l) => / security_validation \(LOW\)$/.test(l));
    expect(eventLines).toHaveLength(5);
    expect(eventLines.at(-1)).toContain(new Date(2_001).toISOString());
    expect(m.getSecurityStatus()).toMatchObject({
      securityEventsCount: 1000,
      lastValidation: { timestamp: 2_001, isSecure: false, securityScore: 0, securityLevel: 'LOW', vulnerabilitiesCount: 2, recommendationsCount: 9 },
    });
  });

  it('the report describes the last validation, with recent events', async () => {
    const m = managerFor({ redisAuth: PASSWORD });
    const client = await m.createSecureConnection(urlOf(server));
    try {
      await m.validateConnectionSecurity(client);
    } finally {
      await client.quit?.();
    }
    const report = m.generateSecurityReport();
    expect(report).toContain('Security Status: ❌ INSECURE');
    expect(report).toContain('Score: 55/100');
    expect(report).toContain('Auth Method: AUTH');
    expect(report).toMatch(/RECENT SECURITY EVENTS:\n.*connection_created.*\n.*security_validation/);
    expect(m.getSecurityStatus().lastValidation).toMatchObject({ securityScore: 55, securityLevel: 'LOW', vulnerabilitiesCount: 2, recommendationsCount: 9 });
  });

  it('a throwing or rejecting metrics recorder never breaks connection or validation', async () => {
    for (const recordOperation of [
      (): void => {
        throw new Error('injected fault: recorder throws');
      },
      (): Promise<void> => Promise.reject(new Error('injected fault: recorder rejects')),
    ]) {
      const m = managerFor({ redisAuth: PASSWORD }, { metricsRecorder: { recordOperation } });
      const client = await m.createSecureConnection(urlOf(server));
      try {
        expect((await m.validateConnectionSecurity(client)).securityScore).toBe(55);
      } finally {
        await client.quit?.();
      }
    }
  });
});

describe('testSecurityConfiguration', () => {
  it('against the real server: valid, connected, authenticated, scored, and the client closed', async () => {
    const { connector, created } = recordingConnector();
    const m = managerFor({ redisAuth: PASSWORD }, { connector });
    const result = await m.testSecurityConfiguration(urlOf(server));
    expect(result).toMatchObject({
      configurationValid: true,
      connectionSuccessful: true,
      authenticationWorking: true,
      encryptionActive: false,
      overallSecure: false,
      securityScore: 55,
      errors: [],
      testDetails: {
        configurationValidation: 'Valid',
        securityValidation: { secure: false, score: 55, vulnerabilities: [expect.any(String), expect.any(String)] },
      },
    });
    expect(result.timestamp).toBeGreaterThan(0);
    expect(await allEnded(created)).toBe(true);
  });

  it('against an unreachable port: a clear failed result, not a rejection', async () => {
    const { sleep, sleeps } = recordedSleep();
    const m = managerFor({ redisAuth: PASSWORD, maxRetries: 1, retryDelay: 0.2 }, { sleep });
    const result = await m.testSecurityConfiguration(`redis://127.0.0.1:${deadPort}`);
    expect(result).toMatchObject({ configurationValid: true, connectionSuccessful: false, authenticationWorking: false, overallSecure: false });
    expect(result.securityScore).toBeUndefined();
    expect(result.errors).toEqual([expect.stringMatching(/^Connection failed: Failed to connect to Redis after 2 attempt\(s\): .*ECONNREFUSED/)]);
    expect(result.errors.every((e) => e.length > 10)).toBe(true);
    expect(sleeps).toEqual([200]);
  });

  it('against a port that accepts but never answers: fails within the configured timeouts', async () => {
    await withSilentPort(async (port) => {
      const m = managerFor({ redisAuth: PASSWORD, maxRetries: 0, connectionTimeout: 0.5, socketTimeout: 0.5 });
      const result = await m.testSecurityConfiguration(`redis://127.0.0.1:${port}`);
      expect(result.connectionSuccessful).toBe(false);
      expect(result.errors).toEqual([expect.stringMatching(/^Connection failed: .*(timed out|did not become ready)/i)]);
    });
  }, 5_000);

  it('a TLS handshake that never completes fails within the configured connect timeout', async () => {
    await withSilentPort(async (port) => {
      const m = managerFor({ redisAuth: PASSWORD, useTls: true, maxRetries: 0, connectionTimeout: 0.5, socketTimeout: 0.5 });
      const result = await m.testSecurityConfiguration(`redis://127.0.0.1:${port}`);
      expect(result).toMatchObject({ configurationValid: true, connectionSuccessful: false, encryptionActive: false });
      expect(result.errors).toEqual([expect.stringMatching(/^Connection failed: .*(ETIMEDOUT|timed out|did not become ready)/i)]);
    });
  }, 5_000);

  it('a PING that fails after connecting (injected fault on a real client) reports "Authentication failed" and still closes the client', async () => {
    const { connector, created } = recordingConnector();
    let pings = 0;
    const m = managerFor(
      { redisAuth: PASSWORD },
      {
        connector: async (params) => {
          const real = await connector(params);
          return {
            ping: async () => {
              pings += 1;
              if (pings === 2) throw new Error('injected fault: NOAUTH Authentication required.');
              return real.ping();
            },
            info: (...sections: string[]) => real.info(...sections),
            quit: () => real.quit?.() ?? Promise.resolve(),
          };
        },
      },
    );
    const result = await m.testSecurityConfiguration(urlOf(server));
    expect(result).toMatchObject({ configurationValid: true, connectionSuccessful: true, authenticationWorking: false, securityScore: 55 });
    expect(result.errors).toEqual(['Authentication failed: injected fault: NOAUTH Authentication required.']);
    expect(result.testDetails['authentication']).toMatch(/^Failed: /);
    expect(await allEnded(created)).toBe(true);
  });
});
