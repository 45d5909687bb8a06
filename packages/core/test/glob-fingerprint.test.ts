import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, escapeGlob, keyFingerprint, redactUrl } from '../src/index.js';

describe('compileGlob (Redis MATCH dialect)', () => {
  it.each([
    ['user:*', 'user:1', true],
    ['user:*', 'user:1:profile', true],
    ['user:*', 'users:1', false],
    ['user:*', 'xuser:1', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[c-a]x', 'bx', true],
    ['[^a]x', 'bx', true],
    ['[^a]x', 'ax', false],
    ['[abc]', 'c', true],
    ['[abc]', 'd', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axxb', false],
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['(x)+|$^{2}', '(x)+|$^{2}', true],
    ['User:*', 'user:1', false],
    ['*', '', true],
    ['a[\\]]b', 'a]b', true],
  ])('%s against %s → %s', (pattern, key, matches) => {
    expect(compileGlob(pattern).test(key)).toBe(matches);
  });

  // Every row was checked against redis-server 7.0 with KEYS (packages/redis re-checks the tiers
  // against a live server): Redis matches the UTF-8 bytes of a key, class by class as it parses them.
  it.each([
    ['k?', 'ké', false],
    ['k??', 'ké', true],
    ['?', '🚀', false],
    ['????', '🚀', true],
    ['k*', 'ké', true],
    ['*é', 'café', true],
    ['caf?', 'café', false],
    ['[é]', 'é', false],
    ['[é][é]', 'é', true],
    ['[^a]', 'é', false],
    ['[^a][^a]', 'é', true],
    ['k[a-é]?', 'ké', true],
    ['k[a-é]', 'ka', true],
    ['k[\u0001-\u00ff]*', 'k\u0001', true],
    ['k[\u0001-\u00ff]*', 'ka', false],
    ['k[\u0001-\u00ff]*', 'ké', true],
    ['k[\u0001-\u007f\u0080-\u00ff]', 'k~', true],
    ['k[a-]', 'k]', true],
    ['k[a-]', 'k-', false],
    ['k[a-', 'k-', true],
    ['k[a-', 'kb', false],
    ['[', '[', false],
    ['a[]b', 'a]b', false],
    ['a[^]b', 'a^b', true],
    ['a[^]b', 'a]b', true],
    ['[^', 'x', true],
    ['k[^', 'ké', false],
    ['k\\', 'k\\', true],
    ['k\\', 'k', false],
    ['\\é', 'é', true],
  ])('byte-wise: %j against %j → %s', (pattern, key, matches) => {
    expect(compileGlob(pattern).test(key)).toBe(matches);
  });

  it('escapeGlob makes any string match only itself (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (s, other) => {
        const re = compileGlob(escapeGlob(s));
        expect(re.test(s)).toBe(true);
        expect(re.test(other)).toBe(other === s);
      }),
      { numRuns: 500 },
    );
  });
});

describe('keyFingerprint', () => {
  it('is the first 8 lowercase hex chars of SHA-256 of the key, deterministic', () => {
    const fp = keyFingerprint('user:1');
    expect(fp).toMatch(/^[0-9a-f]{8}$/);
    expect(fp).toBe(createHash('sha256').update('user:1').digest('hex').slice(0, 8));
    expect(keyFingerprint('user:1')).toBe(fp);
    expect(keyFingerprint('user:2')).not.toBe(fp);
  });
});

describe('redactUrl', () => {
  it.each([
    ['redis://user:s3cret@host:6379/0', 'redis://user:***@host:6379/0'],
    ['rediss://:s3cret@localhost:6380', 'rediss://***@localhost:6380'],
    ['redis://u:s3c/ret@host:1', 'redis://u:***@host:1'],
    ['u:s3cret@host:6379', 'u:***@host:6379'],
    ['s3cret@host', '***@host'],
    ['redis://host:6379/0?password=s3cret&db=1', 'redis://host:6379/0?password=***&db=1'],
    ['redis://s3cret@host', 'redis://***@host'],
    ['redis://host:6379', 'redis://host:6379'],
    ['rediss://alice:p%40ss:word@h', 'rediss://alice:***@h'],
    ['redis://u:s3cret@with@at@host/1', 'redis://u:***@host/1'],
    ['not a url', 'not a url'],
    ['', ''],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
    expect(redactUrl(url)).not.toContain('s3cret');
  });
});
