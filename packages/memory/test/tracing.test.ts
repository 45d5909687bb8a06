import { tracingChannel } from 'node:diagnostics_channel';
import { CACHE_TRACING_CHANNELS, keyFingerprint, type CacheTraceContext } from '@cache/core';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryCache } from '../src/index.js';

type Seen = { channel: string; event: string; context: CacheTraceContext & { result?: unknown } };

const unsubscribers: Array<() => void> = [];
afterEach(() => {
  for (const off of unsubscribers.splice(0)) off();
});

function subscribe(names: string[]): Seen[] {
  const seen: Seen[] = [];
  for (const name of names) {
    const channel = tracingChannel<unknown, CacheTraceContext>(name);
    const record = (event: string) => (context: CacheTraceContext) => {
      seen.push({ channel: name, event, context: { ...context } });
    };
    const handlers = { start: record('start'), end: record('end'), asyncStart: record('asyncStart'), asyncEnd: record('asyncEnd'), error: record('error') };
    channel.subscribe(handlers);
    unsubscribers.push(() => channel.unsubscribe(handlers));
  }
  return seen;
}

describe('per-operation tracing through node:diagnostics_channel', () => {
  it('publishes get, set, getOrSet and delete with key fingerprints and hit flags, never keys or values', async () => {
    const seen = subscribe([CACHE_TRACING_CHANNELS.get, CACHE_TRACING_CHANNELS.set, CACHE_TRACING_CHANNELS.getOrSet, CACHE_TRACING_CHANNELS.delete]);
    const cache = new InMemoryCache({ name: 'sessions' });
    const key = 'user:42:secret-key';
    const value = { token: 'secret-value-text' };
    await cache.set(key, value);
    expect(await cache.get(key)).toBe(value);
    expect(await cache.get('user:43:other')).toBe(null);
    expect(await cache.getOrSet('user:44:computed', () => ({ token: 'secret-factory-text' }))).toEqual({ token: 'secret-factory-text' });
    expect(await cache.delete(key)).toBe(true);

    const ends = seen.filter((s) => s.event === 'asyncEnd');
    expect(ends.map((s) => [s.channel, s.context.keyFingerprint, s.context.hit])).toEqual([
      ['@cache:set', keyFingerprint(key), undefined],
      ['@cache:get', keyFingerprint(key), true],
      ['@cache:get', keyFingerprint('user:43:other'), false],
      ['@cache:getOrSet', keyFingerprint('user:44:computed'), undefined],
      ['@cache:delete', keyFingerprint(key), undefined],
    ]);
    for (const s of seen) expect(s.context).toMatchObject({ cache: 'sessions', kind: 'memory' });
    expect(seen.filter((s) => s.event === 'start')).toHaveLength(5);
    const text = JSON.stringify(seen);
    for (const secret of ['secret-key', 'secret-value-text', 'secret-factory-text', 'user:43']) expect(text).not.toContain(secret);
    expect(seen.every((s) => s.context.result === undefined)).toBe(true);
  });

  it('publishes error with the ValidationError of a rejected operation, and the rejection is unchanged', async () => {
    const seen = subscribe([CACHE_TRACING_CHANNELS.get]);
    const cache = new InMemoryCache();
    await expect(cache.get('')).rejects.toMatchObject({ code: 'INVALID_KEY' });
    const error = seen.find((s) => s.event === 'error');
    expect(error?.context.error).toMatchObject({ code: 'INVALID_KEY' });
  });

  it('publishes nothing and behaves the same once the subscriber leaves', async () => {
    const seen = subscribe([CACHE_TRACING_CHANNELS.get]);
    for (const off of unsubscribers.splice(0)) off();
    const cache = new InMemoryCache();
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
    expect(seen).toEqual([]);
  });
});
