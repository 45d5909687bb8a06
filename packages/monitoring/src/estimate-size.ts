/**
 * Deterministic size estimate of `value` in bytes; never throws, terminates on cycles (each object counted once).
 * string → 40 + UTF-8 length; number/bigint → 16; boolean/null/undefined → 8; array → 40 + 8·length + Σ items;
 * Map or plain object → 64 + Σ(size of the key as a string + size of the value); Uint8Array/Buffer → 40 + byteLength;
 * Date → 24; anything else → 16. Iterative, so deep nesting cannot overflow the stack.
 */
export function estimateSize(value: unknown): number {
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  let total = 0;
  while (pending.length > 0) {
    const v = pending.pop();
    switch (typeof v) {
      case 'string':
        total += 40 + Buffer.byteLength(v, 'utf8');
        break;
      case 'number':
      case 'bigint':
        total += 16;
        break;
      case 'boolean':
      case 'undefined':
        total += 8;
        break;
      case 'object':
        if (v === null) total += 8;
        else if (!seen.has(v)) {
          seen.add(v);
          total += containerSize(v, pending);
        }
        break;
      default:
        total += 16;
    }
  }
  return total;
}

// Returns the container's own cost and queues its children; a container that cannot be enumerated costs its base.
function containerSize(v: object, pending: unknown[]): number {
  if (v instanceof Uint8Array) return 40 + v.byteLength;
  if (v instanceof Date) return 24;
  try {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) pending.push(v[i]);
      return 40 + 8 * v.length;
    }
    if (v instanceof Map) {
      for (const [key, item] of v) pending.push(String(key), item);
      return 64;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return 16;
    for (const key of Object.keys(v)) pending.push(key, (v as Record<string, unknown>)[key]);
    return 64;
  } catch {
    return 16;
  }
}
