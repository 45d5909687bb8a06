const REGEX_SYNTAX = /[.*+?^${}()|[\]\\/]/g;
const CLASS_SYNTAX = /[\\\]\[^-]/g;

/**
 * Compiles a Redis `MATCH` glob to an anchored, case-sensitive RegExp: `*` any run (including `:`),
 * `?` one character, `[abc]`, `[a-z]`, `[^abc]`, `\` escapes the next character; everything else
 * is literal.
 */
export function globToRegExp(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let out = '^';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '*') {
      out += '[\\s\\S]*';
    } else if (ch === '?') {
      out += '[\\s\\S]';
    } else if (ch === '\\' && i + 1 < chars.length) {
      out += (chars[++i] as string).replace(REGEX_SYNTAX, '\\$&');
    } else if (ch === '[' && findClassEnd(chars, i + 1) !== -1) {
      const close = findClassEnd(chars, i + 1);
      out += compileClass(chars.slice(i + 1, close));
      i = close;
    } else {
      out += ch.replace(REGEX_SYNTAX, '\\$&');
    }
  }
  return new RegExp(`${out}$`, 'u');
}

function findClassEnd(chars: readonly string[], start: number): number {
  for (let j = start; j < chars.length; j++) {
    if (chars[j] === '\\') j++;
    else if (chars[j] === ']') return j;
  }
  return -1;
}

function compileClass(body: readonly string[]): string {
  let i = 0;
  let out = '[';
  if (body[0] === '^') {
    out += '^';
    i = 1;
  }
  const items: string[] = [];
  for (; i < body.length; i++) {
    let ch = body[i] as string;
    if (ch === '\\' && i + 1 < body.length) ch = body[++i] as string;
    if (body[i + 1] === '-' && i + 2 < body.length) {
      let end = body[i + 2] as string;
      i += 2;
      if (end === '\\' && i + 1 < body.length) end = body[++i] as string;
      const [lo, hi] = (ch.codePointAt(0) as number) <= (end.codePointAt(0) as number) ? [ch, end] : [end, ch];
      items.push(`${escapeClassChar(lo)}-${escapeClassChar(hi)}`);
    } else {
      items.push(escapeClassChar(ch));
    }
  }
  // An empty class matches nothing, as in Redis.
  return items.length === 0 ? (out === '[^' ? '[\\s\\S]' : '[]') : `${out}${items.join('')}]`;
}

function escapeClassChar(ch: string): string {
  return ch.replace(CLASS_SYNTAX, '\\$&');
}

/** Escapes `* ? [ ] \` so that `globToRegExp(escapeGlob(s))` matches exactly `s`. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, '\\$&');
}
