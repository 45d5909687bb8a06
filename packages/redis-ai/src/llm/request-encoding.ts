import { HashFeed, encodeJson, note, refusalError, refuseShape, sha256Hex, sortedKeys, stringToken } from './canonical.js';
import type { IgnoredSink, ProviderOptionFilter } from './provider-options.js';

/** Call options that never change a response and never enter a key. */
export const IGNORED_REQUEST_FIELDS: readonly string[] = Object.freeze(['abortSignal', 'headers', 'includeRawChunks']);

const IGNORED = new Set(IGNORED_REQUEST_FIELDS);

/** A file that entered the key (by digest; never its bytes or URL). */
export interface LlmKeyFile {
  path: string;
  mediaType: string | undefined;
  source: 'bytes' | 'url' | 'reference' | 'text';
  bytes?: number;
  sha256?: string;
}

/** What `explainKey` collects while a request is encoded; `null` when only the key is wanted. */
export interface KeyTrace {
  readonly ignored: string[];
  readonly files: LlmKeyFile[];
}

/** Encodes one member of a record itself (returns true) or leaves it to the generic encoding. */
type MemberEncoder = (key: string, value: unknown, feed: HashFeed, depth: number) => boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` is a plain object whose enumerable keys are exactly `a` and `b`, or those two
 * plus a `providerOptions` that is `undefined` (the AI SDK writes that member on every message and
 * text part; an `undefined` member is left out of the encoding, so both shapes encode alike).
 * False sends a value to the generic path, which encodes these shapes the same way.
 */
function hasExactly(value: Record<string, unknown>, a: string, b: string): boolean {
  // `for…in` allocates no key array but also lists inherited keys: a class instance goes the generic way.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let found = 0;
  let options = false;
  for (const key in value) {
    if (key === a || key === b) found++;
    else if (key === 'providerOptions' && !options && value[key] === undefined) options = true;
    else return false;
  }
  return found === 2;
}

/** What follows the text of a `{ type, text }` part: its type member and the closing brace, as one token. */
const TEXT_PART_TAIL = 's4:types4:text}';
const REASONING_PART_TAIL = 's4:types9:reasoning}';
/**
 * What follows the parts of a `{ role, content: [...] }` message: the content array's closing
 * bracket, the role member and the closing brace, as one token (constants for the common roles).
 */
function roleTail(role: string): string {
  switch (role) {
    case 'user':
      return ']s4:roles4:user}';
    case 'assistant':
      return ']s4:roles9:assistant}';
    case 'system':
      return ']s4:roles6:system}';
    case 'tool':
      return ']s4:roles4:tool}';
    default:
      return `]s4:role${stringToken(role)}}`;
  }
}

/** {@link TEXT_PART_TAIL} then {@link roleTail} of the common roles, joined once. */
const TEXT_MESSAGE_TAILS = new Map(['user', 'assistant', 'system'].map((role) => [role, TEXT_PART_TAIL + roleTail(role)]));

/** What follows the text of a message whose one part is a `{ type: 'text', text }`: {@link TEXT_PART_TAIL} then {@link roleTail}, as one token. */
function textMessageTail(role: string): string {
  return TEXT_MESSAGE_TAILS.get(role) ?? TEXT_PART_TAIL + roleTail(role);
}

const BASE64_BODY = /^[A-Za-z0-9+/_-]*$/;

function base64Value(code: number): number {
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 71;
  if (code >= 48 && code <= 57) return code + 4;
  return code === 43 || code === 45 ? 62 : 63;
}

/**
 * The bytes of `text` when it is exactly the base64 (or base64url) encoding of them, padded or
 * not, else null: a string that merely decodes (stray characters, non-zero trailing bits, bad
 * padding) is text, so two different strings never stand for the same bytes.
 */
function base64Bytes(text: string): Buffer | null {
  let end = text.length;
  if (text.charCodeAt(end - 1) === 61) end -= text.charCodeAt(end - 2) === 61 ? 2 : 1;
  const rest = end % 4;
  if (rest === 1 || (end < text.length && (text.length % 4 !== 0 || rest === 0))) return null;
  const body = end === text.length ? text : text.slice(0, end);
  if (!BASE64_BODY.test(body)) return null;
  if (rest !== 0 && (base64Value(body.charCodeAt(end - 1)) & (rest === 2 ? 0x0f : 0x03)) !== 0) return null;
  return Buffer.from(body, 'base64');
}

/**
 * Walks an LLM request and feeds its canonical encoding (see `canonical.ts`) to a {@link HashFeed}
 * without copying it: top-level fields sorted, the ignored ones left out, provider options reduced
 * to the allow-list at every level, file data as its bytes (bytes, base64 text of the same bytes
 * and `{ type: 'data' }` alike) or a tagged descriptor (URL, reference, inline text). Invalid input
 * throws `ValidationError` `INVALID_REQUEST` naming the path.
 */
export class RequestEncoder {
  readonly #filter: ProviderOptionFilter;

  /** `filter`: the provider-option allow-list. */
  constructor(filter: ProviderOptionFilter) {
    this.#filter = filter;
  }

  /**
   * The fields that enter the key, sorted by name, top-level provider options already reduced to
   * the allow-list; checks the request's frame (provider, model id, prompt array).
   */
  fields(request: unknown, trace: KeyTrace | null): Array<[string, unknown]> {
    try {
      if (!isRecord(request)) refuseShape('must be an object');
      const { provider, modelId } = request;
      if (typeof provider !== 'string' || provider === '') refuseShape('must be a non-empty string', 'provider');
      if (typeof modelId !== 'string' || modelId === '') refuseShape('must be a non-empty string', 'modelId');
      if (!Array.isArray(request['prompt'])) refuseShape('must be an array of messages', 'prompt');
      const sink = ignoredSink(trace);
      const fields: Array<[string, unknown]> = [];
      for (const name of sortedKeys(request)) {
        let value: unknown = request[name];
        if (value === undefined) continue;
        if (IGNORED.has(name)) {
          sink?.(name);
          continue;
        }
        if (name === 'providerOptions') {
          try {
            value = this.#filter.filter(value, name, sink);
          } catch (error) {
            throw note(error, name);
          }
          if (value === undefined) continue;
        }
        fields.push([name, value]);
      }
      return fields;
    } catch (error) {
      throw refusalError(error);
    }
  }

  /** Feeds the whole request: its {@link fields} as one object. */
  encode(fields: ReadonlyArray<[string, unknown]>, feed: HashFeed, trace: KeyTrace | null): void {
    feed.token('{');
    for (const [name, value] of fields) {
      feed.string(name);
      this.field(name, value, feed, trace);
    }
    feed.token('}');
  }

  /** Feeds one field's value (as {@link fields} returned it). */
  field(name: string, value: unknown, feed: HashFeed, trace: KeyTrace | null): void {
    try {
      if (name === 'prompt') {
        const prompt = value as unknown[];
        feed.token('[');
        for (let i = 0; i < prompt.length; i++) this.#message(prompt[i], i, feed, trace);
        feed.token(']');
      } else if (name === 'tools') {
        if (!Array.isArray(value)) refuseShape('must be an array');
        feed.token('[');
        for (let i = 0; i < value.length; i++) {
          try {
            this.#record(value[i], trace ? `tools[${i}]` : '', feed, trace, 2, null);
          } catch (error) {
            throw note(error, i);
          }
        }
        feed.token(']');
      } else {
        encodeJson(value, feed, 1);
      }
    } catch (error) {
      throw refusalError(note(error, name));
    }
  }

  /** Feeds one prompt message (`index` in the prompt). */
  message(message: unknown, index: number, feed: HashFeed, trace: KeyTrace | null): void {
    try {
      this.#message(message, index, feed, trace);
    } catch (error) {
      throw refusalError(note(error, 'prompt'));
    }
  }

  #message(message: unknown, index: number, feed: HashFeed, trace: KeyTrace | null): void {
    try {
      if (!isRecord(message)) refuseShape('must be an object');
      const role = message['role'];
      if (typeof role !== 'string') refuseShape('has no role');
      const content = message['content'];
      const path = trace ? `prompt[${index}]` : '';
      if (!Array.isArray(content)) {
        if (typeof content !== 'string') refuseShape('must be a string or an array of parts', 'content');
        this.#record(message, path, feed, trace, 2, null);
      } else if (hasExactly(message, 'content', 'role')) {
        // The common `{ role, content: [...] }`, encoded exactly as the generic path would, without its keyed lookups.
        const part: unknown = content.length === 1 ? content[0] : undefined;
        const text = isRecord(part) && part['type'] === 'text' ? part['text'] : undefined;
        if (typeof text === 'string' && hasExactly(part as Record<string, unknown>, 'text', 'type')) {
          // Its commonest form, one `{ type: 'text', text }` part: the message's and the part's fixed tokens merged.
          feed.token('{s7:content[{s4:text');
          feed.string(text);
          feed.token(textMessageTail(role));
          return;
        }
        feed.token('{s7:content[');
        try {
          this.#partList(content, path, feed, trace, 3);
        } catch (error) {
          throw note(error, 'content');
        }
        feed.token(roleTail(role));
      } else {
        this.#record(message, path, feed, trace, 2, (key, _value, f, depth) => key === 'content' && this.#parts(content, path, f, trace, depth + 1));
      }
    } catch (error) {
      throw note(error, index);
    }
  }

  #parts(content: readonly unknown[], path: string, feed: HashFeed, trace: KeyTrace | null, depth: number): true {
    feed.token('[');
    this.#partList(content, path, feed, trace, depth);
    feed.token(']');
    return true;
  }

  /** The parts of a content array, without its brackets. */
  #partList(content: readonly unknown[], path: string, feed: HashFeed, trace: KeyTrace | null, depth: number): void {
    for (let i = 0; i < content.length; i++) {
      try {
        this.#part(content[i], trace ? `${path}.content[${i}]` : '', feed, trace, depth);
      } catch (error) {
        throw note(error, i);
      }
    }
  }

  #part(part: unknown, path: string, feed: HashFeed, trace: KeyTrace | null, depth: number): void {
    if (!isRecord(part)) refuseShape('must be an object');
    const type = part['type'];
    if (typeof type !== 'string') refuseShape('has no type');
    let member: MemberEncoder | null = null;
    if (type === 'text' || type === 'reasoning') {
      const text = part['text'];
      if (typeof text === 'string' && hasExactly(part, 'text', 'type')) {
        // The common `{ type, text }`, encoded exactly as the generic path would.
        feed.token('{s4:text');
        feed.string(text);
        feed.token(type === 'text' ? TEXT_PART_TAIL : REASONING_PART_TAIL);
        return;
      }
    } else if ((type === 'file' || type === 'reasoning-file') && part['data'] !== undefined) {
      member = (key, value, f, d) => key === 'data' && this.#file(value, part['mediaType'], trace ? `${path}.data` : '', f, trace, d);
    } else if (type === 'tool-result' && isRecord(part['output'])) {
      member = (key, value, f, d) => key === 'output' && this.#toolOutput(value as Record<string, unknown>, trace ? `${path}.output` : '', f, trace, d);
    }
    this.#record(part, path, feed, trace, depth, member);
  }

  #toolOutput(output: Record<string, unknown>, path: string, feed: HashFeed, trace: KeyTrace | null, depth: number): true {
    const items = output['value'];
    if (output['type'] !== 'content' || !Array.isArray(items)) {
      this.#record(output, path, feed, trace, depth, null);
      return true;
    }
    this.#record(output, path, feed, trace, depth, (key, _value, f, d) => {
      if (key !== 'value') return false;
      f.token('[');
      for (let i = 0; i < items.length; i++) {
        const item: unknown = items[i];
        const itemPath = trace ? `${path}.value[${i}]` : '';
        try {
          const data = isRecord(item) ? item['data'] : undefined;
          this.#record(item, itemPath, f, trace, d + 1, data === undefined ? null : (k, v, g, e) => k === 'data' && this.#file(v, (item as Record<string, unknown>)['mediaType'], trace ? `${itemPath}.data` : '', g, trace, e));
        } catch (error) {
          throw note(error, i);
        }
      }
      f.token(']');
      return true;
    });
    return true;
  }

  /**
   * Feeds a record with its members sorted, `undefined` members dropped and its provider options
   * reduced to the allow-list (left out when nothing is allowed); `member` may encode a member itself.
   */
  #record(value: unknown, path: string, feed: HashFeed, trace: KeyTrace | null, depth: number, member: MemberEncoder | null): void {
    if (!isRecord(value)) refuseShape('must be an object');
    let options: unknown;
    if (value['providerOptions'] !== undefined) {
      try {
        options = this.#filter.filter(value['providerOptions'], trace ? `${path}.providerOptions` : '', ignoredSink(trace));
      } catch (error) {
        throw note(error, 'providerOptions');
      }
    }
    const keys = sortedKeys(value);
    feed.token('{');
    for (const key of keys) {
      const item: unknown = key === 'providerOptions' ? options : value[key];
      if (item === undefined) continue;
      feed.string(key);
      try {
        if (member === null || !member(key, item, feed, depth)) encodeJson(item, feed, depth + 1);
      } catch (error) {
        throw note(error, key);
      }
    }
    feed.token('}');
  }

  /** Feeds file data: its bytes, or a tagged descriptor `m{…}`; returns true (it always encodes). */
  #file(data: unknown, mediaType: unknown, path: string, feed: HashFeed, trace: KeyTrace | null, depth: number): true {
    const noteFile = (file: Omit<LlmKeyFile, 'path' | 'mediaType'>): void => {
      trace?.files.push({ path, mediaType: typeof mediaType === 'string' ? mediaType : undefined, ...file });
    };
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : typeof data === 'string' ? base64Bytes(data) : null;
    if (bytes !== null) {
      if (trace) noteFile({ source: 'bytes', bytes: bytes.byteLength, sha256: sha256Hex(bytes) });
      feed.bytes(bytes);
      return true;
    }
    const descriptor = (entry: Record<string, unknown>): true => {
      feed.token('m');
      encodeJson(entry, feed, depth + 1);
      return true;
    };
    if (typeof data === 'string') {
      noteFile({ source: 'text' });
      return descriptor({ text: data });
    }
    if (data instanceof URL) {
      noteFile({ source: 'url' });
      return descriptor({ url: data.href });
    }
    if (isRecord(data)) {
      switch (data['type']) {
        case 'data':
          if (data['data'] === undefined) break;
          return this.#file(data['data'], mediaType, path, feed, trace, depth);
        case 'url': {
          const url = data['url'];
          if (!(url instanceof URL) && typeof url !== 'string') break;
          noteFile({ source: 'url' });
          return descriptor({ url: url instanceof URL ? url.href : url });
        }
        case 'reference':
          noteFile({ source: 'reference' });
          return descriptor({ reference: data['reference'] });
        case 'text':
          if (typeof data['text'] !== 'string') break;
          noteFile({ source: 'text' });
          return descriptor({ text: data['text'] });
        default:
          break;
      }
    }
    refuseShape("must be bytes, base64 text, a URL or a { type: 'data' | 'url' | 'reference' | 'text' } object");
  }
}

function ignoredSink(trace: KeyTrace | null): IgnoredSink {
  return trace ? (path) => trace.ignored.push(path) : null;
}
