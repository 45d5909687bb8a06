import { compileGlob } from '@cache/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidationLedger, type InvalidationScope } from '../src/pending-invalidations.js';

const KEYS = ['a:1', 'a:2', 'b:1', 'b:2', 'c'] as const;
const PATTERNS = ['a:*', 'b:?', '*'] as const;

/** `write` sends a write; `confirm` reports the `nth` still-unconfirmed write stored (writes can complete out of order). */
type Op = { kind: 'invalidate'; scope: InvalidationScope } | { kind: 'write'; key: string } | { kind: 'confirm'; nth: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom(...KEYS).map((key): Op => ({ kind: 'invalidate', scope: { kind: 'key', key } })),
  fc.constantFrom(...PATTERNS).map((pattern): Op => ({ kind: 'invalidate', scope: pattern === '*' ? { kind: 'all' } : { kind: 'pattern', pattern } })),
  fc.constantFrom(...KEYS).map((key): Op => ({ kind: 'write', key })),
  fc.nat(5).map((nth): Op => ({ kind: 'confirm', nth })),
);

/** The reference: every invalidation ever issued (none applied), and each key's last confirmed write. */
function model(ops: readonly Op[], ledger: InvalidationLedger): (key: string) => boolean {
  const issued: Array<{ scope: InvalidationScope; seq: number }> = [];
  const confirmed = new Map<string, number>();
  const inFlight: Array<{ key: string; seq: number }> = [];
  for (const o of ops) {
    if (o.kind === 'invalidate') {
      const seq = ledger.next();
      issued.push({ scope: o.scope, seq });
      ledger.add(o.scope, seq);
    } else if (o.kind === 'write') {
      inFlight.push({ key: o.key, seq: ledger.writeIssued(o.key) });
    } else if (inFlight.length > 0) {
      const [write] = inFlight.splice(o.nth % inFlight.length, 1);
      ledger.writeConfirmed(write!.key, write!.seq);
      confirmed.set(write!.key, Math.max(confirmed.get(write!.key) ?? 0, write!.seq));
    }
  }
  const covers = (scope: InvalidationScope, key: string) =>
    scope.kind === 'all' || (scope.kind === 'key' ? scope.key === key : compileGlob(scope.pattern).test(key));
  return (key) => issued.some((e) => covers(e.scope, key) && e.seq > (confirmed.get(key) ?? 0));
}

describe('InvalidationLedger against a reference model', () => {
  it('property: below the limit, a key is fenced exactly when an issued invalidation covers it and no later write of it was confirmed', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const ledger = new InvalidationLedger(1000);
        const fenced = model(ops, ledger);
        for (const key of KEYS) expect(ledger.isFenced(key)).toBe(fenced(key));
      }),
      { numRuns: 500 },
    );
  });

  it('property: past the limit the backlog is widened, never forgotten — every key the model fences stays fenced, and the size stays bounded', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (ops, limit) => {
        const ledger = new InvalidationLedger(limit);
        const fenced = model(ops, ledger);
        for (const key of KEYS) if (fenced(key)) expect(ledger.isFenced(key)).toBe(true);
        expect(ledger.size).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 500 },
    );
  });

  it('a clear absorbs older per-key entries and later per-key entries it already covers; a write after it is not its to remove', () => {
    const ledger = new InvalidationLedger(100);
    ledger.add({ kind: 'key', key: 'a:1' });
    ledger.add({ kind: 'all' });
    const all = ledger.entries()[0]!;
    expect(ledger.add({ kind: 'key', key: 'b:1' }).entry).toBeNull();
    expect(ledger.size).toBe(1);
    const seq = ledger.writeIssued('b:2');
    expect(ledger.writtenSince('b:2', all.seq)).toBe('issued');
    ledger.writeConfirmed('b:2', seq);
    expect(ledger.writtenSince('b:2', all.seq)).toBe('confirmed');
    expect([ledger.isFenced('b:2'), ledger.isFenced('b:1')]).toEqual([false, true]);
    expect(ledger.add({ kind: 'key', key: 'b:2' }).entry).not.toBeNull();
  });

  it('widening groups per-key entries by their first segment, then falls back to the whole prefix', () => {
    const grouped = new InvalidationLedger(4);
    for (const key of ['user:1', 'user:2', 'user:3', 'team:1', 'team:2']) grouped.add({ kind: 'key', key });
    expect(grouped.entries().map((e) => e.scope)).toEqual([
      { kind: 'pattern', pattern: 'user:*' },
      { kind: 'pattern', pattern: 'team:*' },
    ]);
    const flat = new InvalidationLedger(2);
    for (const key of ['x', 'y', 'z']) flat.add({ kind: 'key', key });
    expect(flat.entries().map((e) => [e.scope, e.widened])).toEqual([[{ kind: 'all' }, true]]);
  });
});
