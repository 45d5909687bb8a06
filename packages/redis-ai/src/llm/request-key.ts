import { ValidationError } from '@cache/core';
import { OPERATION_PATTERN } from '../ai/ai-key.js';
import { PreEncoded, bytesMarker, canonicalEncoding, sha256Hex } from './canonical.js';
import { DEFAULT_PROVIDER_OPTION_KEYS, ProviderOptionFilter, type IgnoredSink } from './provider-options.js';
import type { LlmRequest } from './request.js';

/** Version of the request-key format; a change bumps it, so an old entry is never served. */
export const LLM_KEY_VERSION = 1;
/** Every LLM request key starts with `llm:v<version>:`. */
export const LLM_KEY_NAMESPACE = 'llm';
/** Call options that never change a response and never enter a key. */
export const IGNORED_REQUEST_FIELDS: readonly string[] = Object.freeze(['abortSignal', 'headers', 'includeRawChunks']);
/** Operation label used when a call names none. */
export const DEFAULT_LLM_OPERATION = 'default';
/** What a tenant id may contain: 1-128 characters of `[A-Za-z0-9_.@-]`. */
export const TENANT_PATTERN = /^[A-Za-z0-9_.@-]{1,128}$/;

const IGNORED = new Set(IGNORED_REQUEST_FIELDS);
const DIGEST_HEX = 32;

/** The namespace part of a key: who (tenant) and what for (operation). */
export interface LlmKeyScope {
  /** Tenant partition; part of the key namespace, never a filter. */
  tenant?: string | undefined;
  /** Label of the use case (`[A-Za-z0-9_.-]{1,64}`); default `default`. */
  operation?: string | undefined;
}

/** A file that entered the key (by digest; never its bytes or URL). */
export interface LlmKeyFile {
  path: string;
  mediaType: string | undefined;
  source: 'bytes' | 'url' | 'reference' | 'text';
  bytes?: number;
  sha256?: string;
}

/** What `explainKey` reports: the key and which fields went in. No prompt text. */
export interface LlmKeyExplanation {
  key: string;
  version: number;
  /** 128-bit hex digest of the canonical request. */
  digest: string;
  namespace: { tenant: string | null; operation: string; provider: string; modelId: string };
  /** Top-level fields that entered the digest, sorted. */
  included: string[];
  /** Paths that were present but left out (abort signal, headers, provider options off the allow-list, the policy entry). */
  ignored: string[];
  /** 64-bit hex digest of each included top-level field and of each prompt message (`prompt[i]`). */
  components: Record<string, string>;
  files: LlmKeyFile[];
}

interface Trace {
  ignored: string[];
  files: LlmKeyFile[];
}

function invalid(message: string, path: string): ValidationError {
  return new ValidationError(`LLM request cannot be keyed: ${message}`, { code: 'INVALID_REQUEST', context: { path } });
}

/**
 * The bytes of `text` when it is exactly the base64 (or base64url) encoding of them, else null:
 * a string that merely decodes (stray characters, dropped bits) is text, so two different strings
 * never share a digest.
 */
function base64Bytes(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64');
  let given = text.endsWith('=') ? text.replace(/=+$/, '') : text;
  if (given.includes('-') || given.includes('_')) given = given.replace(/-/g, '+').replace(/_/g, '/');
  const canonical = bytes.toString('base64');
  const end = canonical.endsWith('==') ? canonical.length - 2 : canonical.endsWith('=') ? canonical.length - 1 : canonical.length;
  return end === given.length && canonical.startsWith(given) ? bytes : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes a namespace segment so it holds no `:` and no glob syntax (`%XX`, `%` first). */
export function escapeKeySegment(segment: string): string {
  return /[%:*?[\]\\\s]/.test(segment) ? segment.replace(/[%:*?[\]\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) : segment;
}

/**
 * Throws `ValidationError` `INVALID_TENANT` unless `tenant` is undefined or 1-128 characters of
 * `[A-Za-z0-9_.@-]`.
 */
export function assertTenant(tenant: unknown): asserts tenant is string | undefined {
  if (tenant === undefined || (typeof tenant === 'string' && TENANT_PATTERN.test(tenant))) return;
  throw new ValidationError('tenant must be 1-128 characters of [A-Za-z0-9_.@-]', { code: 'INVALID_TENANT', context: { tenant_type: tenant === null ? 'null' : typeof tenant } });
}

/** `llm:v1:<tenant=… | shared>:<operation>:` — the prefix shared by every key of one tenant and operation. */
export function scopePrefix(scope: LlmKeyScope = {}): string {
  assertTenant(scope.tenant);
  const operation = scope.operation ?? DEFAULT_LLM_OPERATION;
  if (typeof operation !== 'string' || !OPERATION_PATTERN.test(operation)) {
    throw new ValidationError('operation must be 1-64 characters of [A-Za-z0-9_.-]', { code: 'INVALID_OPERATION', context: { parameter: 'operation' } });
  }
  return `${LLM_KEY_NAMESPACE}:v${LLM_KEY_VERSION}:${scope.tenant === undefined ? 'shared' : `tenant=${scope.tenant}`}:${operation}:`;
}

/**
 * Derives versioned, canonical request keys: `llm:v1:<tenant=… | shared>:<operation>:<provider>:<modelId>:<32 hex>`.
 * The digest is SHA-256 over the canonical encoding of provider, model id, the whole prompt (every
 * message and part, tool calls and results; file and image bytes by their SHA-256), tools,
 * toolChoice, responseFormat, sampling parameters, seed, reasoning and the allow-listed provider
 * options. Property order, abort signals, headers and `includeRawChunks` never matter; bytes and
 * base64 of the same bytes key alike. No prompt text ever appears in a key.
 */
export class LlmKeyBuilder {
  readonly #filter: ProviderOptionFilter;

  /** `providerOptionKeys`: the allow-list (default {@link DEFAULT_PROVIDER_OPTION_KEYS}). */
  constructor(options: { providerOptionKeys?: readonly string[] } = {}) {
    this.#filter = new ProviderOptionFilter(options.providerOptionKeys ?? DEFAULT_PROVIDER_OPTION_KEYS);
  }

  /** The key of `request` in `scope`; invalid input → `ValidationError`. */
  key(request: LlmRequest, scope: LlmKeyScope = {}): string {
    const prefix = scopePrefix(scope);
    const normalized = this.#normalize(request, null);
    const digest = sha256Hex(canonicalEncoding(normalized, 'request')).slice(0, DIGEST_HEX);
    return `${prefix}${escapeKeySegment(request.provider)}:${escapeKeySegment(request.modelId)}:${digest}`;
  }

  /** The key plus what went into it (see {@link LlmKeyExplanation}). */
  explain(request: LlmRequest, scope: LlmKeyScope = {}): LlmKeyExplanation {
    const prefix = scopePrefix(scope);
    const trace: Trace = { ignored: [], files: [] };
    const normalized = this.#normalize(request, trace);
    const digest = sha256Hex(canonicalEncoding(normalized, 'request')).slice(0, DIGEST_HEX);
    const components: Record<string, string> = {};
    const included = Object.keys(normalized).sort();
    for (const field of included) components[field] = sha256Hex(canonicalEncoding(normalized[field], field)).slice(0, 16);
    (normalized['prompt'] as unknown[]).forEach((message, i) => {
      components[`prompt[${i}]`] = sha256Hex(canonicalEncoding(message, `prompt[${i}]`)).slice(0, 16);
    });
    return {
      key: `${prefix}${escapeKeySegment(request.provider)}:${escapeKeySegment(request.modelId)}:${digest}`,
      version: LLM_KEY_VERSION,
      digest,
      namespace: { tenant: scope.tenant ?? null, operation: scope.operation ?? DEFAULT_LLM_OPERATION, provider: request.provider, modelId: request.modelId },
      included,
      ignored: trace.ignored,
      components,
      files: trace.files,
    };
  }

  #normalize(request: LlmRequest, trace: Trace | null): Record<string, unknown> {
    if (!isRecord(request)) throw invalid('the request must be an object', 'request');
    if (typeof request.provider !== 'string' || request.provider === '') throw invalid('provider must be a non-empty string', 'provider');
    if (typeof request.modelId !== 'string' || request.modelId === '') throw invalid('modelId must be a non-empty string', 'modelId');
    if (!Array.isArray(request.prompt)) throw invalid('prompt must be an array of messages', 'prompt');
    const sink: IgnoredSink = trace ? (path) => trace.ignored.push(path) : null;
    const out: Record<string, unknown> = {};
    for (const field of Object.keys(request)) {
      const value: unknown = (request as unknown as Record<string, unknown>)[field];
      if (value === undefined) continue;
      if (IGNORED.has(field)) {
        sink?.(field);
        continue;
      }
      if (field === 'prompt') out[field] = (value as unknown[]).map((m, i) => this.#message(m, trace ? `prompt[${i}]` : '', trace, sink));
      else if (field === 'providerOptions') {
        const kept = this.#filter.filter(value, 'providerOptions', sink);
        if (kept) out[field] = kept;
      } else if (field === 'tools') {
        if (!Array.isArray(value)) throw invalid('tools must be an array', 'tools');
        out[field] = value.map((tool: unknown, i) => this.#withOptions(tool, trace ? `tools[${i}]` : '', sink));
      } else out[field] = value;
    }
    return out;
  }

  #withOptions(value: unknown, path: string, sink: IgnoredSink): Record<string, unknown> {
    if (!isRecord(value)) throw invalid(`${path || 'an item'} must be an object`, path);
    if (value['providerOptions'] === undefined) return value;
    const copy: Record<string, unknown> = { ...value };
    const kept = this.#filter.filter(value['providerOptions'], `${path}.providerOptions`, sink);
    if (kept) copy['providerOptions'] = kept;
    else delete copy['providerOptions'];
    return copy;
  }

  #message(message: unknown, path: string, trace: Trace | null, sink: IgnoredSink): Record<string, unknown> {
    const copy = this.#withOptions(message, path, sink);
    if (typeof copy['role'] !== 'string') throw invalid(`${path || 'a message'} has no role`, path);
    const content = copy['content'];
    if (Array.isArray(content)) {
      return { ...copy, content: content.map((part: unknown, i) => this.#part(part, trace ? `${path}.content[${i}]` : '', trace, sink)) };
    }
    if (typeof content !== 'string') throw invalid(`${path || 'a message'}.content must be a string or an array of parts`, path);
    return copy;
  }

  #part(part: unknown, path: string, trace: Trace | null, sink: IgnoredSink): Record<string, unknown> {
    const copy = this.#withOptions(part, path, sink);
    const type = copy['type'];
    if (typeof type !== 'string') throw invalid(`${path || 'a part'} has no type`, path);
    if ((type === 'file' || type === 'reasoning-file') && copy['data'] !== undefined) {
      return { ...copy, data: this.#file(copy['data'], copy['mediaType'], trace ? `${path}.data` : '', trace) };
    }
    if (type === 'tool-result' && isRecord(copy['output'])) {
      const output = this.#withOptions(copy['output'], trace ? `${path}.output` : '', sink);
      if (output['type'] === 'content' && Array.isArray(output['value'])) {
        const value = output['value'].map((item: unknown, i) => {
          const itemPath = trace ? `${path}.output.value[${i}]` : '';
          const itemCopy = this.#withOptions(item, itemPath, sink);
          return itemCopy['data'] === undefined ? itemCopy : { ...itemCopy, data: this.#file(itemCopy['data'], itemCopy['mediaType'], trace ? `${itemPath}.data` : '', trace) };
        });
        return { ...copy, output: { ...output, value } };
      }
      return { ...copy, output };
    }
    return copy;
  }

  #file(data: unknown, mediaType: unknown, path: string, trace: Trace | null): PreEncoded {
    const media = typeof mediaType === 'string' ? mediaType : undefined;
    const note = (file: Omit<LlmKeyFile, 'path' | 'mediaType'>): void => {
      trace?.files.push({ path, mediaType: media, ...file });
    };
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : typeof data === 'string' ? base64Bytes(data) : null;
    if (bytes !== null) {
      const marker = bytesMarker(bytes);
      if (trace) note({ source: 'bytes', bytes: bytes.byteLength, sha256: sha256Hex(bytes) });
      return marker;
    }
    if (typeof data === 'string') {
      note({ source: 'text' });
      return new PreEncoded({ textSha256: sha256Hex(data) });
    }
    if (data instanceof URL) {
      note({ source: 'url' });
      return new PreEncoded({ url: data.href });
    }
    if (isRecord(data)) {
      switch (data['type']) {
        case 'data':
          return this.#file(data['data'], mediaType, path, trace);
        case 'url': {
          const url = data['url'];
          if (!(url instanceof URL) && typeof url !== 'string') break;
          note({ source: 'url' });
          return new PreEncoded({ url: url instanceof URL ? url.href : url });
        }
        case 'reference':
          note({ source: 'reference' });
          return new PreEncoded({ reference: canonicalEncoding(data['reference'], path) });
        case 'text':
          if (typeof data['text'] !== 'string') break;
          note({ source: 'text' });
          return new PreEncoded({ textSha256: sha256Hex(data['text']) });
        default:
          break;
      }
    }
    throw invalid(`${path || 'file data'} must be bytes, base64 text, a URL or a { type: 'data' | 'url' | 'reference' | 'text' } object`, path);
  }
}

/** Scope plus the provider-option allow-list. */
export interface LlmKeyOptions extends LlmKeyScope {
  /** Default {@link DEFAULT_PROVIDER_OPTION_KEYS}. */
  providerOptionKeys?: readonly string[];
}

let defaultBuilder: LlmKeyBuilder | undefined;
const builders = new WeakMap<readonly string[], LlmKeyBuilder>();

function builderFor(providerOptionKeys: readonly string[] | undefined): LlmKeyBuilder {
  if (providerOptionKeys === undefined) return (defaultBuilder ??= new LlmKeyBuilder());
  let builder = builders.get(providerOptionKeys);
  if (!builder) {
    builder = new LlmKeyBuilder({ providerOptionKeys });
    builders.set(providerOptionKeys, builder);
  }
  return builder;
}

/**
 * The canonical, versioned cache key of an LLM request (see {@link LlmKeyBuilder}): identical for
 * requests that differ only in property order, abort signal, headers or ignored provider options;
 * different for any change of model, prompt, file bytes, tools, tool choice, response format,
 * sampling parameters, seed, reasoning, allowed provider options, tenant or operation.
 */
export function llmRequestKey(request: LlmRequest, options: LlmKeyOptions = {}): string {
  return builderFor(options.providerOptionKeys).key(request, options);
}

/** {@link llmRequestKey} plus which fields went in, which were ignored, and file digests; never prompt text. */
export function explainKey(request: LlmRequest, options: LlmKeyOptions = {}): LlmKeyExplanation {
  return builderFor(options.providerOptionKeys).explain(request, options);
}
