import { ValidationError } from '@cache/core';
import { OPERATION_PATTERN } from '../ai/ai-key.js';
import { HashFeed } from './canonical.js';
import { DEFAULT_PROVIDER_OPTION_KEYS, ProviderOptionFilter } from './provider-options.js';
import { RequestEncoder, type KeyTrace, type LlmKeyFile } from './request-encoding.js';
import type { LlmRequest } from './request.js';

export { IGNORED_REQUEST_FIELDS, type LlmKeyFile } from './request-encoding.js';

/** Version of the request-key format; a change bumps it, so an old entry is never served. */
export const LLM_KEY_VERSION = 2;
/** Every LLM request key starts with `llm:v<version>:`. */
export const LLM_KEY_NAMESPACE = 'llm';
/** Operation label used when a call names none. */
export const DEFAULT_LLM_OPERATION = 'default';
/** What a tenant id may contain: 1-128 characters of `[A-Za-z0-9_.@-]`. */
export const TENANT_PATTERN = /^[A-Za-z0-9_.@-]{1,128}$/;

const DIGEST_HEX = 32;

/** The namespace part of a key: who (tenant) and what for (operation). */
export interface LlmKeyScope {
  /** Tenant partition; part of the key namespace, never a filter. */
  tenant?: string | undefined;
  /** Label of the use case (`[A-Za-z0-9_.-]{1,64}`); default `default`. */
  operation?: string | undefined;
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

/** The first `length` hex digits of a checking feed's digest. */
function hexOf(feed: HashFeed, length: number): string {
  return (feed.hex() ?? '').slice(0, length);
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

/** `llm:v<version>:<tenant=… | shared>:<operation>:` — the prefix shared by every key of one tenant and operation. */
export function scopePrefix(scope: LlmKeyScope = {}): string {
  assertTenant(scope.tenant);
  const operation = scope.operation ?? DEFAULT_LLM_OPERATION;
  if (typeof operation !== 'string' || !OPERATION_PATTERN.test(operation)) {
    throw new ValidationError('operation must be 1-64 characters of [A-Za-z0-9_.-]', { code: 'INVALID_OPERATION', context: { parameter: 'operation' } });
  }
  return `${LLM_KEY_NAMESPACE}:v${LLM_KEY_VERSION}:${scope.tenant === undefined ? 'shared' : `tenant=${scope.tenant}`}:${operation}:`;
}

/**
 * Derives versioned, canonical request keys: `llm:v2:<tenant=… | shared>:<operation>:<provider>:<modelId>:<32 hex>`.
 * The digest is one SHA-256 over the canonical encoding of
 * provider, model id, the whole prompt (every message and part, tool calls and results; file and
 * image bytes hashed as bytes, once), tools,
 * toolChoice, responseFormat, sampling parameters, seed, reasoning and the allow-listed provider
 * options. Property order, abort signals, headers and `includeRawChunks` never matter; bytes and
 * base64 of the same bytes key alike. No prompt text ever appears in a key.
 */
export class LlmKeyBuilder {
  readonly #encoder: RequestEncoder;
  #lastScope: { tenant: string | undefined; operation: string | undefined; value: string } | undefined;
  #lastModel: { provider: string; modelId: string; value: string } | undefined;

  /** `providerOptionKeys`: the allow-list (default {@link DEFAULT_PROVIDER_OPTION_KEYS}). */
  constructor(options: { providerOptionKeys?: readonly string[] } = {}) {
    this.#encoder = new RequestEncoder(new ProviderOptionFilter(options.providerOptionKeys ?? DEFAULT_PROVIDER_OPTION_KEYS));
  }

  /** The key of `request` in `scope`; invalid input → `ValidationError`. */
  key(request: LlmRequest, scope: LlmKeyScope = {}): string {
    const prefix = this.#scopePrefix(scope);
    const fields = this.#encoder.fields(request, null);
    // Strings are tested for lone surrogates once, on the whole text; a request that has one is encoded again, testing each.
    const digest = this.#digest(fields, false) ?? this.#digest(fields, true);
    return `${prefix}${this.#modelSegments(request.provider, request.modelId)}${digest}`;
  }

  /** {@link scopePrefix}, validated and built once for consecutive calls in the same scope. */
  #scopePrefix(scope: LlmKeyScope): string {
    const last = this.#lastScope;
    if (last !== undefined && scope.tenant === last.tenant && scope.operation === last.operation) return last.value;
    const value = scopePrefix(scope);
    this.#lastScope = { tenant: scope.tenant, operation: scope.operation, value };
    return value;
  }

  /** `<provider>:<modelId>:`, escaped once for consecutive calls to the same model. */
  #modelSegments(provider: string, modelId: string): string {
    const last = this.#lastModel;
    if (last !== undefined && provider === last.provider && modelId === last.modelId) return last.value;
    const value = `${escapeKeySegment(provider)}:${escapeKeySegment(modelId)}:`;
    this.#lastModel = { provider, modelId, value };
    return value;
  }

  #digest(fields: ReadonlyArray<[string, unknown]>, checking: boolean): string | null {
    const feed = new HashFeed(checking);
    this.#encoder.encode(fields, feed, null);
    return feed.hex()?.slice(0, DIGEST_HEX) ?? null;
  }

  /** The key plus what went into it (see {@link LlmKeyExplanation}). */
  explain(request: LlmRequest, scope: LlmKeyScope = {}): LlmKeyExplanation {
    const prefix = scopePrefix(scope);
    const trace: KeyTrace = { ignored: [], files: [] };
    const fields = this.#encoder.fields(request, trace);
    const feed = new HashFeed();
    this.#encoder.encode(fields, feed, trace);
    const digest = hexOf(feed, DIGEST_HEX);
    const components: Record<string, string> = {};
    for (const [name, value] of fields) {
      const part = new HashFeed();
      this.#encoder.field(name, value, part, null);
      components[name] = hexOf(part, 16);
    }
    request.prompt.forEach((message, i) => {
      const part = new HashFeed();
      this.#encoder.message(message, i, part, null);
      components[`prompt[${i}]`] = hexOf(part, 16);
    });
    return {
      key: `${prefix}${escapeKeySegment(request.provider)}:${escapeKeySegment(request.modelId)}:${digest}`,
      version: LLM_KEY_VERSION,
      digest,
      namespace: { tenant: scope.tenant ?? null, operation: scope.operation ?? DEFAULT_LLM_OPERATION, provider: request.provider, modelId: request.modelId },
      included: fields.map(([name]) => name),
      ignored: trace.ignored,
      components,
      files: trace.files,
    };
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
