import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('demo (the README main job)', () => {
  it('misses once per question, then serves every repeat from the encrypted in-memory cache', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, encoding: 'utf8' });
    expect(out.match(/^ {2}MISS /gm)).toHaveLength(2);
    expect(out.match(/^ {2}HIT /gm)).toHaveLength(4);
    expect(out).toContain('rejected bad input: INVALID_TTL');
    expect(out).toContain('hit rate 66.7% over 6 lookups');
    expect(out).toContain('"encryptionOperations":2');
  });
});
