/**
 * The request and response types of the LLM request cache. They mirror the AI SDK's
 * `LanguageModelV4CallOptions` / `LanguageModelV3CallOptions` (plus the model's provider and id)
 * and `LanguageModelV4GenerateResult` field for field, so those values are accepted as they are;
 * LangChain messages map onto them one to one (see the README). Nothing here imports a framework.
 */

/** Provider-specific options: provider name → options object (JSON data). */
export type LlmProviderOptions = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** A JSON schema (draft 7 style object, or a boolean schema). */
export type LlmJsonSchema = object | boolean;

/**
 * File content: bytes, base64 text or a URL (AI SDK V3), or the tagged forms of V4 (`data`, `url`,
 * provider `reference`, inline `text`). Bytes and base64 of the same bytes key alike.
 */
export type LlmFileData =
  | Uint8Array
  | string
  | URL
  | { readonly type: 'data'; readonly data: Uint8Array | string }
  | { readonly type: 'url'; readonly url: URL; readonly originalUrl?: string }
  | { readonly type: 'reference'; readonly reference: Readonly<Record<string, string>> }
  | { readonly type: 'text'; readonly text: string };

/** Text. */
export interface LlmTextPart {
  readonly type: 'text';
  readonly text: string;
  readonly providerOptions?: LlmProviderOptions;
}

/** A file or image. */
export interface LlmFilePart {
  readonly type: 'file';
  readonly data: LlmFileData;
  readonly mediaType: string;
  readonly filename?: string;
  readonly providerOptions?: LlmProviderOptions;
}

/** Reasoning text of an earlier assistant turn. */
export interface LlmReasoningPart {
  readonly type: 'reasoning';
  readonly text: string;
  readonly providerOptions?: LlmProviderOptions;
}

/** A reasoning file of an earlier assistant turn (V4). */
export interface LlmReasoningFilePart {
  readonly type: 'reasoning-file';
  readonly data: LlmFileData;
  readonly mediaType: string;
  readonly providerOptions?: LlmProviderOptions;
}

/** A provider-specific custom part (V4). */
export interface LlmCustomPart {
  readonly type: 'custom';
  readonly kind: string;
  readonly providerOptions?: LlmProviderOptions;
}

/** A tool call of an earlier assistant turn. */
export interface LlmToolCallPart {
  readonly type: 'tool-call';
  readonly toolCallId: string;
  readonly toolName: string;
  readonly input: unknown;
  readonly providerExecuted?: boolean;
  readonly providerOptions?: LlmProviderOptions;
}

/** One item of a `content` tool result (`text`, `file`, or a provider form such as `image-data`). */
export interface LlmToolResultContentItem {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** The output of a tool. */
export type LlmToolResultOutput =
  | { readonly type: 'text' | 'error-text'; readonly value: string; readonly providerOptions?: LlmProviderOptions }
  | { readonly type: 'json' | 'error-json'; readonly value: unknown; readonly providerOptions?: LlmProviderOptions }
  | { readonly type: 'execution-denied'; readonly reason?: string; readonly providerOptions?: LlmProviderOptions }
  | { readonly type: 'content'; readonly value: ReadonlyArray<LlmToolResultContentItem> };

/** A tool's result. */
export interface LlmToolResultPart {
  readonly type: 'tool-result';
  readonly toolCallId: string;
  readonly toolName: string;
  readonly output: LlmToolResultOutput;
  readonly providerOptions?: LlmProviderOptions;
}

/** A user's answer to a tool-approval request. */
export interface LlmToolApprovalResponsePart {
  readonly type: 'tool-approval-response';
  readonly approvalId: string;
  readonly approved: boolean;
  readonly reason?: string;
  readonly providerOptions?: LlmProviderOptions;
}

/** One prompt message. */
export type LlmMessage = (
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: ReadonlyArray<LlmTextPart | LlmFilePart> }
  | {
      readonly role: 'assistant';
      readonly content: ReadonlyArray<
        LlmTextPart | LlmFilePart | LlmCustomPart | LlmReasoningPart | LlmReasoningFilePart | LlmToolCallPart | LlmToolResultPart
      >;
    }
  | { readonly role: 'tool'; readonly content: ReadonlyArray<LlmToolResultPart | LlmToolApprovalResponsePart> }
) & { readonly providerOptions?: LlmProviderOptions };

/** A function tool the model may call. */
export interface LlmFunctionTool {
  readonly type: 'function';
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: LlmJsonSchema;
  readonly inputExamples?: ReadonlyArray<{ readonly input: Readonly<Record<string, unknown>> }>;
  readonly strict?: boolean;
  readonly providerOptions?: LlmProviderOptions;
}

/** A provider-defined tool (`<provider>.<tool>`). */
export interface LlmProviderTool {
  readonly type: 'provider';
  readonly id: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** How the model may use tools. */
export type LlmToolChoice =
  | { readonly type: 'auto' }
  | { readonly type: 'none' }
  | { readonly type: 'required' }
  | { readonly type: 'tool'; readonly toolName: string };

/** Text, or JSON (optionally against a schema). */
export type LlmResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json'; readonly schema?: LlmJsonSchema; readonly name?: string; readonly description?: string };

/**
 * One model call: the model's `provider` and `modelId` plus the AI SDK call options. Every field
 * that can change the output enters the key; `abortSignal`, `headers` and `includeRawChunks`
 * never do, and of `providerOptions` only the configured allow-list does.
 */
export interface LlmRequest {
  readonly provider: string;
  readonly modelId: string;
  readonly prompt: ReadonlyArray<LlmMessage>;
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
  readonly stopSequences?: ReadonlyArray<string>;
  readonly topP?: number;
  readonly topK?: number;
  readonly presencePenalty?: number;
  readonly frequencyPenalty?: number;
  readonly responseFormat?: LlmResponseFormat;
  readonly seed?: number;
  readonly tools?: ReadonlyArray<LlmFunctionTool | LlmProviderTool>;
  readonly toolChoice?: LlmToolChoice;
  /** Reasoning effort (V4), e.g. `'low'`, `'high'`, `'provider-default'`. */
  readonly reasoning?: string;
  readonly providerOptions?: LlmProviderOptions;
  /** Framework settings that change the output and have no field above (JSON data, e.g. a LangChain model's parameters); keyed whole. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Ignored by the key. */
  readonly includeRawChunks?: boolean;
  /** Ignored by the key. */
  readonly abortSignal?: AbortSignal;
  /** Ignored by the key. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

/** Why the model stopped: the V3/V4 `{ unified, raw }` object, or a bare reason (V2, other frameworks). */
export type LlmFinishReason = string | { readonly unified: string; readonly raw?: string | undefined };

/** Token usage: the V3/V4 nested form, or flat numbers (V2, LangChain). */
export interface LlmUsage {
  readonly inputTokens?:
    | number
    | { readonly total?: number | undefined; readonly noCache?: number | undefined; readonly cacheRead?: number | undefined; readonly cacheWrite?: number | undefined }
    | undefined;
  readonly outputTokens?: number | { readonly total?: number | undefined; readonly text?: number | undefined; readonly reasoning?: number | undefined } | undefined;
  readonly cachedInputTokens?: number | undefined;
  readonly reasoningTokens?: number | undefined;
  readonly totalTokens?: number | undefined;
  readonly [extra: string]: unknown;
}

/** Response metadata (`response` of a generate result). */
export interface LlmResponseMetadata {
  readonly id?: string;
  readonly timestamp?: Date;
  readonly modelId?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** One content part of a response (`text`, `reasoning`, `file`, `tool-call`, `source`, …). */
export interface LlmContentPart {
  readonly type: string;
  readonly [field: string]: unknown;
}

/**
 * A model response as stored: the shape of `LanguageModelV4GenerateResult`; extra fields (for
 * example a recorded stream) are kept too. Dates, `Uint8Array`s, URLs and `undefined` members
 * round-trip exactly.
 */
export interface LlmResponse {
  readonly content: ReadonlyArray<LlmContentPart>;
  readonly finishReason: LlmFinishReason;
  readonly usage?: LlmUsage;
  readonly structuredOutputText?: string;
  readonly providerMetadata?: Readonly<Record<string, unknown>>;
  readonly request?: { readonly url?: string; readonly body?: unknown };
  readonly response?: LlmResponseMetadata;
  readonly warnings?: ReadonlyArray<unknown>;
  readonly [extra: string]: unknown;
}
