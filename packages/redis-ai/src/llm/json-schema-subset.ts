/**
 * A small JSON-schema checker for write guards. Supported keywords: `type` (string or list;
 * `integer` included), `enum`, `const`, `properties`, `required`, `additionalProperties` (boolean
 * or schema), `items` (schema, or a list as tuple), `prefixItems`, `minItems`, `maxItems`,
 * `minLength`, `maxLength` (code points), `pattern`, `minimum`, `maximum`, `exclusiveMinimum`,
 * `exclusiveMaximum` (numeric form), `anyOf`, `oneOf`, `allOf`, `nullable` (OpenAPI), boolean
 * schemas, and local `$ref` (`#`, `#/definitions/…`, `#/$defs/…`, any JSON pointer into the root).
 * Every other keyword (`format`, `not`, `if`, `uniqueItems`, …) is ignored, i.e. accepted.
 */

/** The first violation: where and what. */
export interface SchemaViolation {
  path: string;
  message: string;
}

const MAX_DEPTH = 64;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeOf(value) === type;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

class Checker {
  constructor(readonly root: unknown) {}

  check(value: unknown, schema: unknown, path: string, depth: number): SchemaViolation | null {
    if (schema === true || schema === undefined) return null;
    if (schema === false) return { path, message: 'no value is allowed here' };
    if (typeof schema !== 'object' || schema === null) return null;
    if (depth > MAX_DEPTH) return { path, message: 'schema nests too deeply' };
    const s = schema as Record<string, unknown>;
    if (typeof s['$ref'] === 'string') {
      const target = resolvePointer(this.root, s['$ref']);
      if (target === undefined) return { path, message: `unresolvable $ref ${s['$ref']}` };
      const violation = this.check(value, target, path, depth + 1);
      if (violation) return violation;
    }
    if (s['nullable'] === true && value === null) return null;
    const type = s['type'];
    if (type !== undefined) {
      const types = Array.isArray(type) ? type : [type];
      if (!types.some((t) => typeof t === 'string' && matchesType(value, t))) return { path, message: `expected ${types.join(' | ')}, got ${typeOf(value)}` };
    }
    if (Array.isArray(s['enum']) && !s['enum'].some((e) => deepEqual(e, value))) return { path, message: 'not one of the enum values' };
    if ('const' in s && !deepEqual(s['const'], value)) return { path, message: 'not the const value' };
    return this.#combinators(value, s, path, depth) ?? this.#typed(value, s, path, depth);
  }

  #combinators(value: unknown, s: Record<string, unknown>, path: string, depth: number): SchemaViolation | null {
    if (Array.isArray(s['allOf'])) {
      for (const sub of s['allOf']) {
        const v = this.check(value, sub, path, depth + 1);
        if (v) return v;
      }
    }
    if (Array.isArray(s['anyOf']) && !s['anyOf'].some((sub) => this.check(value, sub, path, depth + 1) === null)) {
      return { path, message: 'matches none of anyOf' };
    }
    if (Array.isArray(s['oneOf'])) {
      const matches = s['oneOf'].filter((sub) => this.check(value, sub, path, depth + 1) === null).length;
      if (matches !== 1) return { path, message: `matches ${matches} of oneOf (exactly 1 required)` };
    }
    return null;
  }

  #typed(value: unknown, s: Record<string, unknown>, path: string, depth: number): SchemaViolation | null {
    if (typeof value === 'string') {
      const length = [...value].length;
      if (typeof s['minLength'] === 'number' && length < s['minLength']) return { path, message: `shorter than ${s['minLength']}` };
      if (typeof s['maxLength'] === 'number' && length > s['maxLength']) return { path, message: `longer than ${s['maxLength']}` };
      if (typeof s['pattern'] === 'string') {
        let re: RegExp | null = null;
        try {
          re = new RegExp(s['pattern'], 'u');
        } catch {
          re = null;
        }
        if (re && !re.test(value)) return { path, message: 'does not match pattern' };
      }
    } else if (typeof value === 'number') {
      if (typeof s['minimum'] === 'number' && value < s['minimum']) return { path, message: `below minimum ${s['minimum']}` };
      if (typeof s['maximum'] === 'number' && value > s['maximum']) return { path, message: `above maximum ${s['maximum']}` };
      if (typeof s['exclusiveMinimum'] === 'number' && value <= s['exclusiveMinimum']) return { path, message: `not above ${s['exclusiveMinimum']}` };
      if (typeof s['exclusiveMaximum'] === 'number' && value >= s['exclusiveMaximum']) return { path, message: `not below ${s['exclusiveMaximum']}` };
    } else if (Array.isArray(value)) {
      return this.#array(value, s, path, depth);
    } else if (typeof value === 'object' && value !== null) {
      return this.#object(value as Record<string, unknown>, s, path, depth);
    }
    return null;
  }

  #array(value: unknown[], s: Record<string, unknown>, path: string, depth: number): SchemaViolation | null {
    if (typeof s['minItems'] === 'number' && value.length < s['minItems']) return { path, message: `fewer than ${s['minItems']} items` };
    if (typeof s['maxItems'] === 'number' && value.length > s['maxItems']) return { path, message: `more than ${s['maxItems']} items` };
    const prefix = Array.isArray(s['prefixItems']);
    const tuple = prefix ? (s['prefixItems'] as unknown[]) : Array.isArray(s['items']) ? s['items'] : null;
    const rest = prefix ? s['items'] : Array.isArray(s['items']) ? s['additionalItems'] : s['items'];
    for (let i = 0; i < value.length; i++) {
      const sub = tuple && i < tuple.length ? tuple[i] : rest;
      const v = this.check(value[i], sub, child(path, i), depth + 1);
      if (v) return v;
    }
    return null;
  }

  #object(value: Record<string, unknown>, s: Record<string, unknown>, path: string, depth: number): SchemaViolation | null {
    const properties = (typeof s['properties'] === 'object' && s['properties'] !== null ? s['properties'] : {}) as Record<string, unknown>;
    if (Array.isArray(s['required'])) {
      for (const name of s['required']) {
        if (typeof name === 'string' && !Object.hasOwn(value, name)) return { path: child(path, name), message: 'is required' };
      }
    }
    for (const key of Object.keys(value)) {
      const sub = Object.hasOwn(properties, key) ? properties[key] : s['additionalProperties'];
      const v = this.check(value[key], sub, child(path, key), depth + 1);
      if (v) return v;
    }
    return null;
  }
}

/** The first way `value` violates `schema` (within the supported subset), or null. */
export function checkJsonSchema(value: unknown, schema: unknown): SchemaViolation | null {
  return new Checker(schema).check(value, schema, '$', 0);
}
