/**
 * `@cache/redis-ai/keys`: key derivation without a Redis client (this entry never loads ioredis).
 * The AI key generator, text tiers and key parser, and the LLM request key.
 */
export { CacheKeyGenerator } from './ai/key-generator.js';
export type { AiOptions, CacheKeyGeneratorOptions, HashAlgorithm, KeyGenerationStats } from './ai/key-generator.js';
export { AI_KEY_PREFIX, AI_NAMESPACE, OPERATION_PATTERN, parseAiKey } from './ai/ai-key.js';
export { DEFAULT_TEXT_SIZE_TIERS, getTextTier, shouldPromoteToMemory } from './ai/text.js';
export type { TextSizeTiers, TextTier } from './ai/text.js';
export {
  DEFAULT_LLM_OPERATION,
  IGNORED_REQUEST_FIELDS,
  LLM_KEY_NAMESPACE,
  LLM_KEY_VERSION,
  LlmKeyBuilder,
  TENANT_PATTERN,
  explainKey,
  llmRequestKey,
} from './llm/request-key.js';
export type { LlmKeyExplanation, LlmKeyFile, LlmKeyOptions, LlmKeyScope } from './llm/request-key.js';
export { DEFAULT_PROVIDER_OPTION_KEYS, POLICY_PROVIDER_OPTIONS_KEY } from './llm/provider-options.js';
export type {
  LlmContentPart,
  LlmCustomPart,
  LlmFileData,
  LlmFilePart,
  LlmFinishReason,
  LlmFunctionTool,
  LlmJsonSchema,
  LlmMessage,
  LlmProviderOptions,
  LlmProviderTool,
  LlmReasoningFilePart,
  LlmReasoningPart,
  LlmRequest,
  LlmResponse,
  LlmResponseFormat,
  LlmResponseMetadata,
  LlmTextPart,
  LlmToolApprovalResponsePart,
  LlmToolCallPart,
  LlmToolChoice,
  LlmToolResultContentItem,
  LlmToolResultOutput,
  LlmToolResultPart,
  LlmUsage,
} from './llm/request.js';
