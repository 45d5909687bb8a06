import { startRedis, type RedisTestServer } from '@cache-tooling/test-redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetOptions, enforceCommandBudget } from '../src/command-budget.js';

let server: RedisTestServer;
const clients: Redis[] = [];

beforeAll(async () => {
  server = await startRedis({ args: ['--enable-debug-command', 'yes'] });
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server.stop();
});

function client(budgetMs?: number): Redis {
  const redis = new Redis(server.url(), { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  if (budgetMs !== undefined) enforceCommandBudget(redis, budgetMs);
  clients.push(redis);
  return redis;
}

describe('one timer keeps the command budget of every command in flight', () => {
  it("a command unanswered within the budget rejects with ioredis' own timeout error; its late reply is ignored and the next command is answered", async () => {
    const budgeted = client(150);
    const sleeper = client();
    await Promise.all([budgeted.connect(), sleeper.connect()]);
    await budgeted.set('budget:k', 'v');
    const sleeping = sleeper.call('DEBUG', 'SLEEP', '0.5');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = performance.now();
    const outcomes = await Promise.allSettled([budgeted.get('budget:k'), budgeted.get('budget:k')]);
    const waited = performance.now() - started;
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : o.value))).toEqual(['Command timed out', 'Command timed out']);
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(450);
    await sleeping;
    await expect(budgeted.get('budget:k')).resolves.toBe('v');
  });

  it('thousands of commands answered in time all resolve with their own replies, and a hang after them still times out', async () => {
    const budgeted = client(1000);
    const sleeper = client();
    await Promise.all([budgeted.connect(), sleeper.connect()]);
    const replies = await Promise.all(Array.from({ length: 5000 }, (_, i) => budgeted.echo(String(i))));
    expect(replies.every((reply, i) => reply === String(i))).toBe(true);
    const sleeping = sleeper.call('DEBUG', 'SLEEP', '1.3');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(budgeted.ping()).rejects.toThrow('Command timed out');
    await sleeping;
    await expect(budgeted.ping()).resolves.toBe('PONG');
  });

  it("a command refused at once (no connection, no offline queue) is not watched: it rejects with ioredis' error, not a timeout", async () => {
    const budgeted = client(50);
    await expect(budgeted.get('budget:k')).rejects.toThrow(/Stream isn't writeable/);
  });

  it("a duplicate of a budgeted client (a subscriber connection) keeps the budget as ioredis' commandTimeout; other clients add nothing", () => {
    expect(budgetOptions(client(250))).toEqual({ commandTimeout: 250 });
    expect(budgetOptions(client())).toEqual({});
  });
});
