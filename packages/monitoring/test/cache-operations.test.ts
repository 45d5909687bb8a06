import { tracingChannel } from 'node:diagnostics_channel';
import { CACHE_TRACING_CHANNELS, ValidationError, keyFingerprint, traceCacheOperation } from '@cache/core';
import { describe, expect, it } from 'vitest';
import { subscribeCacheOperations, type CacheOperationEvent } from '../src/index.js';

// A cache is anything with a name and a kind as far as core's tracing goes; these calls publish on the real channels.
const cache = { name: 'orders', kind: 'test' };

describe('subscribeCacheOperations', () => {
  it('emits one event per finished operation with outcome, duration and key fingerprint, and only while subscribed', async () => {
    const events: CacheOperationEvent[] = [];
    const subscription = subscribeCacheOperations((e) => events.push(e));
    expect(tracingChannel(CACHE_TRACING_CHANNELS.get).hasSubscribers).toBe(true);
    const before = performance.timeOrigin + performance.now();
    await traceCacheOperation('get', cache, 'order:7', async () => 'value', (_r, ctx) => void (ctx.hit = true));
    await expect(
      traceCacheOperation('set', cache, 'order:8', async () => {
        throw new ValidationError('bad value', { code: 'INVALID_VALUE' });
      }),
    ).rejects.toThrow('bad value');
    subscription.unsubscribe();
    await traceCacheOperation('delete', cache, 'order:7', async () => true);
    expect(Object.values(CACHE_TRACING_CHANNELS).some((name) => tracingChannel(name).hasSubscribers)).toBe(false);

    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ operation: 'get', cache: 'orders', kind: 'test', hit: true, keyFingerprint: keyFingerprint('order:7') });
    expect(events[1]).toMatchObject({ operation: 'set', error: { name: 'ValidationError', code: 'INVALID_VALUE' } });
    expect(JSON.stringify(events[1])).not.toContain('bad value');
    for (const e of events) {
      expect(e.startTime).toBeGreaterThanOrEqual(before);
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('filters by cache name or predicate; a throwing listener is reported once and never fails the operation', async () => {
    const names: string[] = [];
    const errors: unknown[] = [];
    const byPredicate = subscribeCacheOperations((e) => names.push(e.cache), { caches: (_name, kind) => kind === 'wanted' });
    const throwing = subscribeCacheOperations(() => {
      throw new Error('listener bug');
    }, { onListenerError: (error) => errors.push(error) });
    await traceCacheOperation('get', { name: 'x', kind: 'wanted' }, 'k', async () => null);
    await traceCacheOperation('get', { name: 'y', kind: 'other' }, 'k', async () => null);
    expect(await traceCacheOperation('get', cache, 'k', async () => 'still served')).toBe('still served');
    byPredicate.unsubscribe();
    throwing.unsubscribe();
    expect(names).toEqual(['x']);
    expect(errors).toHaveLength(1);
  });
});
