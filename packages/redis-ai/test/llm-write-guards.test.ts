import { describe, expect, it } from 'vitest';
import { checkJsonSchema, DEFAULT_ALLOWED_FINISH_REASONS, type LlmRequest, type LlmResponse } from '../src/index.js';
import { checkResponse } from '../src/llm/write-guards.js';

const request: LlmRequest = { provider: 'p', modelId: 'm', prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
const allowed = new Set(DEFAULT_ALLOWED_FINISH_REASONS);
const text = (t: string, finish: LlmResponse['finishReason'] = { unified: 'stop', raw: 'stop' }): LlmResponse => ({ content: [{ type: 'text', text: t }], finishReason: finish });

describe('write guards', () => {
  it('accepts a normal answer, a tool call, and bare-string finish reasons', () => {
    expect(checkResponse(request, text('Hello!'), allowed)).toEqual({ ok: true });
    expect(checkResponse(request, { content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: '{}' }], finishReason: 'tool-calls' }, allowed)).toEqual({ ok: true });
    expect(checkResponse(request, text('cut off', 'length'), allowed)).toEqual({ ok: true });
  });

  it.each<[string, unknown, string]>([
    ['an Error', new Error('boom'), 'error'],
    ['an error finish reason', text('partial', { unified: 'error', raw: undefined }), 'error'],
    ['an error part', { content: [{ type: 'text', text: 'x' }, { type: 'error', error: 'x' }], finishReason: 'stop' }, 'error'],
    ['no content array', { finishReason: 'stop' }, 'empty'],
    ['blank text', text('   \n'), 'empty'],
    ['reasoning only', { content: [{ type: 'reasoning', text: 'thinking' }], finishReason: 'stop' }, 'empty'],
    ['a content filter stop', text('…', { unified: 'content-filter', raw: 'content_filter' }), 'finish_reason'],
    ['an unknown finish reason', text('x', { unified: 'other', raw: 'weird' }), 'finish_reason'],
    ['a non-object', 'just text', 'unstorable'],
  ])('refuses %s', (_name, response, reason) => {
    expect(checkResponse(request, response as LlmResponse, allowed)).toMatchObject({ ok: false, reason });
  });

  it('honours a custom finish-reason list', () => {
    expect(checkResponse(request, text('x', 'length'), new Set(['stop']))).toMatchObject({ ok: false, reason: 'finish_reason' });
  });

  describe('JSON requested', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }, required: ['name'], additionalProperties: false };
    const json = { ...request, responseFormat: { type: 'json' as const, schema } };

    it('accepts text that parses and passes the schema (structuredOutputText preferred)', () => {
      expect(checkResponse(json, text('{"name":"Ada","age":36}'), allowed)).toEqual({ ok: true });
      expect(checkResponse(json, { ...text('ignored'), structuredOutputText: '{"name":"Ada"}' }, allowed)).toEqual({ ok: true });
    });

    it('refuses text that is not JSON', () => {
      expect(checkResponse(json, text('Sure! {"name": "Ada"}'), allowed)).toMatchObject({ ok: false, reason: 'invalid_json' });
      expect(checkResponse({ ...request, responseFormat: { type: 'json' } }, text('{oops'), allowed)).toMatchObject({ ok: false, reason: 'invalid_json' });
    });

    it('refuses JSON that fails the schema, naming the path', () => {
      expect(checkResponse(json, text('{"age":3}'), allowed)).toEqual({ ok: false, reason: 'schema_mismatch', detail: '$.name is required' });
      expect(checkResponse(json, text('{"name":"A","age":-1}'), allowed)).toEqual({ ok: false, reason: 'schema_mismatch', detail: '$.age below minimum 0' });
      expect(checkResponse(json, text('{"name":"A","extra":1}'), allowed)).toMatchObject({ reason: 'schema_mismatch', detail: '$.extra no value is allowed here' });
    });

    it('a tool call with no text passes (the JSON comes in a later step)', () => {
      expect(checkResponse(json, { content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: '{}' }], finishReason: 'tool-calls' }, allowed)).toEqual({ ok: true });
    });
  });
});

describe('JSON schema subset', () => {
  it.each<[string, unknown, unknown, string | null]>([
    ['type list', { type: ['string', 'null'] }, null, null],
    ['integer', { type: 'integer' }, 1.5, '$ expected integer, got number'],
    ['enum', { enum: ['a', 'b'] }, 'c', '$ not one of the enum values'],
    ['const', { const: { a: [1] } }, { a: [1] }, null],
    ['nullable', { type: 'string', nullable: true }, null, null],
    ['items', { type: 'array', items: { type: 'number' }, minItems: 1 }, [1, 'x'], '$[1] expected number, got string'],
    ['minItems', { type: 'array', minItems: 2 }, [1], '$ fewer than 2 items'],
    ['tuple (prefixItems)', { prefixItems: [{ type: 'string' }, { type: 'number' }], items: false }, ['a', 1, 2], '$[2] no value is allowed here'],
    ['maxLength in code points', { maxLength: 2 }, '🌟🌟', null],
    ['pattern', { pattern: '^[a-z]+$' }, 'abc1', '$ does not match pattern'],
    ['exclusiveMaximum', { exclusiveMaximum: 5 }, 5, '$ not below 5'],
    ['anyOf', { anyOf: [{ type: 'string' }, { type: 'number' }] }, true, '$ matches none of anyOf'],
    ['oneOf (two match)', { oneOf: [{ type: 'number' }, { minimum: 0 }] }, 3, '$ matches 2 of oneOf (exactly 1 required)'],
    ['allOf', { allOf: [{ type: 'number' }, { maximum: 1 }] }, 2, '$ above maximum 1'],
    ['$ref to $defs', { $defs: { n: { type: 'number' } }, type: 'object', properties: { x: { $ref: '#/$defs/n' } } }, { x: 'no' }, '$.x expected number, got string'],
    ['recursive $ref', { type: 'object', properties: { child: { $ref: '#' }, v: { type: 'number' } } }, { child: { child: { v: 'x' } } }, '$.child.child.v expected number, got string'],
    ['unknown keywords are accepted', { format: 'email', not: { type: 'string' } }, 'not-an-email', null],
  ])('%s', (_name, schema, value, expected) => {
    const v = checkJsonSchema(value, schema);
    expect(v === null ? null : `${v.path} ${v.message}`).toBe(expected);
  });
});
