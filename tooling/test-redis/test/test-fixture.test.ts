import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestFixture, recordingLogger, startRedis, uniquePrefix, until, type RedisTestServer } from '../src/index.js';

describe('the shared test fixture', () => {
  let server: RedisTestServer;
  beforeAll(async () => {
    server = await startRedis({ password: 'fixture-pw' });
  });
  afterAll(() => server.stop());

  it('clients reach the server with its password; closeAll disconnects them and every tracked resource', async () => {
    const fx = new TestFixture();
    const client = fx.client(server);
    await client.set('k', 'v');
    expect(await fx.client(server).get('k')).toBe('v');
    let closed = 0;
    const resource = fx.track({ disconnect: async () => void closed++ });
    expect(resource).toHaveProperty('disconnect');
    await fx.closeAll();
    expect(closed).toBe(1);
    await until(() => client.status === 'end', 2000, 'the client to end');
    await fx.closeAll();
    expect(closed).toBe(1);
  });

  it('uniquePrefix never repeats and ends with ":"; until resolves when the predicate holds and rejects naming what it waited for', async () => {
    const prefixes = new Set(Array.from({ length: 100 }, () => uniquePrefix('x')));
    expect(prefixes.size).toBe(100);
    for (const prefix of prefixes) expect(prefix).toMatch(/^t\d+:x:$/);
    let n = 0;
    await until(() => ++n >= 3, 1000);
    expect(n).toBe(3);
    await expect(until(() => false, 30, 'the impossible')).rejects.toThrow('timed out waiting for the impossible');
  });

  it('recordingLogger keeps warnings and errors apart and drops debug and info', () => {
    const logger = recordingLogger();
    logger.debug('d');
    logger.info('i');
    logger.warn('w', { a: 1 });
    logger.error('e');
    expect([logger.warnings, logger.errors]).toEqual([['w'], ['e']]);
  });
});
