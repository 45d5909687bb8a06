import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every module specifier reachable from `entry` through relative imports. */
function reachableImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const specifiers = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(src, file), 'utf8');
    for (const match of text.matchAll(/from '([^']+)'/g)) {
      const spec = match[1] as string;
      if (spec.startsWith('./')) visit(spec.slice(2).replace(/\.js$/, '.ts'));
      else specifiers.add(spec);
    }
  };
  visit(entry);
  return specifiers;
}

describe('public entry points', () => {
  it('the main entry exports exactly the documented runtime values', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'CachePerformanceMonitor',
        'createCompressionMetric',
        'createInvalidationMetric',
        'createMemoryUsageMetric',
        'createPerformanceMetric',
        'estimateSize',
        'subscribeCacheOperations',
      ].sort(),
    );
  });

  it('the main entry never imports prom-client; only @cache/core and node built-ins at runtime', () => {
    expect([...reachableImports('index.ts')].sort()).toEqual(['@cache/core', 'node:diagnostics_channel']);
    expect(reachableImports('prometheus.ts').has('prom-client')).toBe(true);
  });
});
