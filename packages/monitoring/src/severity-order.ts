import type { Severity } from './report-types.js';

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Stable sort critical → warning → info, dropping repeated (severity, message) pairs. */
export function bySeverity<T extends { severity: Severity; message: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  const unique = items.filter((item) => {
    const id = `${item.severity}\u0000${item.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}
