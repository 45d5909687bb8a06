import type {
  JSONObject,
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Middleware,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import { ConfigurationError, ValidationError, type Duration } from '@cache/core';
import { simulateStreamingMiddleware } from 'ai';
import { LlmRequestCache, type LlmCallOptions, type LlmCallResult } from '../llm/llm-request-cache.js';
import type { LlmCacheMode } from '../llm/policy.js';
import { POLICY_PROVIDER_OPTIONS_KEY } from '../llm/provider-options.js';
import type { LlmRequest, LlmResponse } from '../llm/request.js';
import { LiveRecording, replayStream, type RecordedResponse } from './recording.js';

/** How a cached stream is played back: all parts at once, or each at the offset it was recorded at. */
export type StreamReplay = 'instant' | 'recorded';

/** Options of {@link cacheMiddleware}; a call's `providerOptions['redis-ai']` overrides them per request. */
export interface AiSdkCacheOptions {
  /** Tenant partition of every call, or a function of the call options; required unless the cache has `requireTenant: false`. */
  tenant?: string | ((params: LanguageModelV4CallOptions) => string | undefined);
  /** Operation label (key namespace, TTL rules, ledger); default `default`. */
  operation?: string;
  /** Default cache mode; default `default`. */
  mode?: LlmCacheMode;
  /** TTL of stored entries (seconds or a duration such as `'1h'`); default the cache's rules and default TTL. */
  ttl?: Duration;
  /** Stream replay of a hit; default `instant`. */
  replay?: StreamReplay;
  /** Cross-process single flight (ms), passed to the storage cache's `getOrSet`. */
  lock?: LlmCallOptions['lock'];
}

/**
 * The per-request policy, as JSON in `providerOptions['redis-ai']` of a call (never part of the
 * key): mode, TTL, tenant, operation, the non-determinism opt-in and the replay timing.
 */
export interface AiSdkRequestPolicy {
  mode?: LlmCacheMode;
  ttl?: number | string;
  tenant?: string;
  operation?: string;
  allowNonDeterministic?: boolean;
  replay?: StreamReplay;
}

/** What a hit carries in `providerMetadata['redis-ai']` (of the generate result, or of the stream's `finish` part). */
export interface AiSdkHitMetadata extends JSONObject {
  cached: true;
  /** `cache`: a stored entry; `coalesced`: an identical call in flight in this process. */
  source: 'cache' | 'coalesced';
  /** When the entry was stored (ISO 8601), for `source: 'cache'`. */
  storedAt: string | null;
}

const POLICY_FIELDS = new Set(['mode', 'ttl', 'tenant', 'operation', 'allowNonDeterministic', 'replay']);
const REPLAYS: readonly StreamReplay[] = ['instant', 'recorded'];

interface ResolvedCall {
  request: LlmRequest;
  policy: LlmCallOptions;
  replay: StreamReplay;
}

type Joinable = { kind: 'live'; recording: LiveRecording; meta: Omit<LanguageModelV4StreamResult, 'stream'> } | { kind: 'result'; result: LlmCallResult };

function badPolicy(field: string, rule: string): ValidationError {
  return new ValidationError(`providerOptions['${POLICY_PROVIDER_OPTIONS_KEY}'].${field} ${rule}`, { code: 'INVALID_POLICY', context: { field } });
}

function requestPolicy(params: LanguageModelV4CallOptions): AiSdkRequestPolicy {
  const raw: unknown = params.providerOptions?.[POLICY_PROVIDER_OPTIONS_KEY];
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badPolicy('', 'must be an object');
  for (const field of Object.keys(raw)) if (!POLICY_FIELDS.has(field)) throw badPolicy(field, 'is not a policy field');
  const p = raw as AiSdkRequestPolicy;
  if (p.tenant !== undefined && typeof p.tenant !== 'string') throw badPolicy('tenant', 'must be a string');
  if (p.operation !== undefined && typeof p.operation !== 'string') throw badPolicy('operation', 'must be a string');
  if (p.replay !== undefined && !REPLAYS.includes(p.replay)) throw badPolicy('replay', "must be 'instant' or 'recorded'");
  return p;
}

/** The stored form of a model's generate result: without the HTTP request and the raw response body and headers. */
function storable(result: LanguageModelV4GenerateResult): LlmResponse {
  const { request: _request, response, ...rest } = result;
  if (response === undefined) return rest as LlmResponse;
  const { body: _body, headers: _headers, ...meta } = response;
  return { ...rest, response: meta } as LlmResponse;
}

function hitMetadata(result: LlmCallResult): AiSdkHitMetadata {
  return { cached: true, source: result.source === 'cache' ? 'cache' : 'coalesced', storedAt: result.source === 'cache' ? result.storedAt.toISOString() : null };
}

function withMarker<T extends { providerMetadata?: Record<string, JSONObject> | undefined }>(part: T, marker: AiSdkHitMetadata): T {
  return { ...part, providerMetadata: { ...part.providerMetadata, [POLICY_PROVIDER_OPTIONS_KEY]: marker } };
}

/** The generate result of a served response: the generate-shaped fields, marked as a hit. */
function generateResult(response: LlmResponse, marker: AiSdkHitMetadata): LanguageModelV4GenerateResult {
  const { stream: _stream, ...result } = response as RecordedResponse;
  return withMarker(result as unknown as LanguageModelV4GenerateResult, marker);
}

function markFinish(marker: AiSdkHitMetadata): (part: LanguageModelV4StreamPart) => LanguageModelV4StreamPart {
  return (part) => (part.type === 'finish' ? withMarker(part, marker) : part);
}

/** A served response as a stream: its recording when it has one, else the AI SDK's own simulation of a generate result. */
async function servedStream(result: LlmCallResult, replay: StreamReplay, params: LanguageModelV4CallOptions, model: LanguageModelV4): Promise<LanguageModelV4StreamResult> {
  const marker = hitMetadata(result);
  const recorded = (result.response as RecordedResponse).stream;
  if (recorded !== undefined) return { stream: replayStream(recorded, replay, markFinish(marker)) };
  const generated = generateResult(result.response, marker);
  const simulate = simulateStreamingMiddleware().wrapStream as NonNullable<LanguageModelV4Middleware['wrapStream']>;
  const never = (): never => {
    throw new Error('unreachable: the simulation only replays the cached generate result');
  };
  return simulate({ doGenerate: () => Promise.resolve(generated), doStream: never, params, model });
}

/**
 * Vercel AI SDK language-model middleware (`wrapLanguageModel({ model, middleware })`) over an
 * {@link LlmRequestCache}. The key is the cache's canonical request key of the call options with
 * the model's provider and id. A generate call and a stream call of the same request share one
 * entry. Streams are recorded part by part and stored only after a clean finish (no `error` part,
 * no abort, no cancel by every reader); a hit replays them `instant`ly or with the recorded timing,
 * dates and bytes restored. A hit is marked in `providerMetadata['redis-ai']` and counted in the
 * cache's ledger. Identical concurrent calls make one model call: stream followers in this process
 * receive the leader's stream live; a stream that ends cleanly closes once its entry is stored
 * (read-your-writes); other processes wait for the stored entry when the storage
 * cache holds a cross-process lease (see `lock`). Raw chunks (`includeRawChunks`) are not recorded.
 */
export function cacheMiddleware(cache: LlmRequestCache, options: AiSdkCacheOptions = {}): LanguageModelV4Middleware {
  if (!(cache instanceof LlmRequestCache)) throw new ConfigurationError('cacheMiddleware needs an LlmRequestCache', { code: 'INVALID_CONFIGURATION', context: { option: 'cache' } });
  if (typeof options !== 'object' || options === null) throw new ConfigurationError('cacheMiddleware options must be an object', { code: 'INVALID_CONFIGURATION', context: { option: 'options' } });
  if (options.replay !== undefined && !REPLAYS.includes(options.replay)) {
    throw new ConfigurationError("replay must be 'instant' or 'recorded'", { code: 'INVALID_CONFIGURATION', context: { option: 'replay' } });
  }
  if (options.tenant !== undefined && typeof options.tenant !== 'string' && typeof options.tenant !== 'function') {
    throw new ConfigurationError('tenant must be a string or a function of the call options', { code: 'INVALID_CONFIGURATION', context: { option: 'tenant' } });
  }
  const flights = new Map<string, Promise<Joinable>>();

  const resolve = (params: LanguageModelV4CallOptions, model: LanguageModelV4): ResolvedCall => {
    const p = requestPolicy(params);
    const tenant = p.tenant ?? (typeof options.tenant === 'function' ? options.tenant(params) : options.tenant);
    const request = { ...params, provider: model.provider, modelId: model.modelId } as unknown as LlmRequest;
    const policy: LlmCallOptions = {
      tenant,
      operation: p.operation ?? options.operation,
      mode: p.mode ?? options.mode,
      ttl: p.ttl ?? options.ttl,
      allowNonDeterministic: p.allowNonDeterministic,
      lock: options.lock,
    };
    return { request, policy, replay: p.replay ?? options.replay ?? 'instant' };
  };

  return {
    specificationVersion: 'v4',

    async wrapGenerate({ doGenerate, params, model }) {
      const call = resolve(params, model);
      let original: LanguageModelV4GenerateResult | undefined;
      const result = await cache.cachedCall(
        call.request,
        async () => {
          original = await doGenerate();
          return storable(original);
        },
        call.policy,
      );
      if (result.source === 'model') return original as LanguageModelV4GenerateResult;
      return generateResult(result.response, hitMetadata(result));
    },

    async wrapStream({ doStream, params, model }) {
      const call = resolve(params, model);
      const plan = cache.plan(call.request, call.policy);
      if (!plan.read && !plan.write) return doStream();
      const joins = plan.read && plan.computeOnMiss;
      if (joins) {
        const pending = flights.get(plan.key);
        const joined = pending === undefined ? undefined : await pending.catch(() => undefined);
        if (joined?.kind === 'live' && joined.recording.live) {
          const { recording, meta } = joined;
          // Counts this call as served (a hit once stored); its "model call" is the leader's stream.
          const counted = cache.cachedCall(call.request, () => recording.done, call.policy);
          counted.catch(() => undefined);
          const marker: AiSdkHitMetadata = { cached: true, source: 'coalesced', storedAt: null };
          return { ...meta, stream: recording.subscribe(counted).pipeThrough(new TransformStream({ transform: (part, c) => c.enqueue(markFinish(marker)(part)) })) };
        }
      }
      let goLive!: (joinable: Joinable) => void;
      const live = new Promise<Joinable>((r) => (goLive = r));
      const result = cache.cachedCall(
        call.request,
        async () => {
          const { stream, ...meta } = await doStream();
          const recording = new LiveRecording(stream, params.abortSignal);
          goLive({ kind: 'live', recording, meta });
          return recording.done;
        },
        call.policy,
      );
      result.catch(() => undefined);
      const first = Promise.race([live, result.then((r): Joinable => ({ kind: 'result', result: r }))]);
      if (joins) {
        flights.set(plan.key, first);
        void result.then(
          () => flights.get(plan.key) === first && flights.delete(plan.key),
          () => flights.get(plan.key) === first && flights.delete(plan.key),
        );
      }
      const j = await first;
      if (j.kind === 'live') return { ...j.meta, stream: j.recording.subscribe(result) };
      return servedStream(j.result, call.replay, params, model);
    },
  };
}
