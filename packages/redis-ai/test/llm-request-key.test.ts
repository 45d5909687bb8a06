import type { LanguageModelV3CallOptions, LanguageModelV3GenerateResult, LanguageModelV4CallOptions, LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import { createHash } from 'node:crypto';
import { isValidationError } from '@cache/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { LLM_KEY_VERSION, explainKey, llmRequestKey, type LlmRequest, type LlmResponse } from '../src/keys.js';

const image = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);

/** A chat request touching every field that should matter. */
function base(): LlmRequest {
  return {
    provider: 'openai.chat',
    modelId: 'gpt-4o',
    prompt: [
      { role: 'system', content: 'You are a terse assistant.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'file', mediaType: 'image/png', data: image },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { q: 'png' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'lookup', output: { type: 'json', value: { found: true } } }] },
    ],
    tools: [{ type: 'function', name: 'lookup', description: 'Looks things up', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }],
    toolChoice: { type: 'auto' },
    responseFormat: { type: 'text' },
    temperature: 0,
    topP: 1,
    maxOutputTokens: 256,
    seed: 7,
    reasoning: 'low',
    providerOptions: { openai: { reasoningEffort: 'low', user: 'u-123' } },
    headers: { 'x-request-id': 'abc' },
    abortSignal: new AbortController().signal,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const msg = (r: LlmRequest, i: number) => r.prompt[i] as unknown as { content: unknown };
const part = (r: LlmRequest, i: number, j: number) => (msg(r, i).content as Array<Record<string, unknown>>)[j]!;
const scope = { tenant: 'acme' };
const key = (r: LlmRequest, s = scope) => llmRequestKey(r, s);

describe('llmRequestKey: what changes the key', () => {
  const cases: Array<[string, (r: Mutable<LlmRequest> & Record<string, unknown>) => void]> = [
    ['the system prompt', (r) => { msg(r, 0).content = 'You are a verbose assistant.'; }],
    ['a message part', (r) => { part(r, 1, 0).text = 'What is in this photo?'; }],
    ['one image byte', (r) => {
      const changed = new Uint8Array(image);
      changed[10] = 4;
      part(r, 1, 1).data = changed;
    }],
    ['a tool-call input', (r) => { part(r, 2, 0).input = { q: 'jpg' }; }],
    ['a tool result', (r) => { part(r, 3, 0).output = { type: 'json', value: { found: false } }; }],
    ['the tool schema', (r) => { r.tools = [{ type: 'function', name: 'lookup', inputSchema: { type: 'object', properties: { q: { type: 'number' } } } }]; }],
    ['toolChoice', (r) => { r.toolChoice = { type: 'required' }; }],
    ['responseFormat', (r) => { r.responseFormat = { type: 'json' }; }],
    ['temperature', (r) => { r.temperature = 0.2; }],
    ['topP', (r) => { r.topP = 0.9; }],
    ['maxOutputTokens', (r) => { r.maxOutputTokens = 512; }],
    ['seed', (r) => { r.seed = 8; }],
    ['reasoning', (r) => { r.reasoning = 'high'; }],
    ['an allowed provider option', (r) => { r.providerOptions = { openai: { reasoningEffort: 'high', user: 'u-123' } }; }],
    ['the model id', (r) => { r.modelId = 'gpt-4o-mini'; }],
    ['the provider', (r) => { r.provider = 'azure.chat'; }],
    ['stop sequences', (r) => { r.stopSequences = ['END']; }],
    ['an added message', (r) => { (r as unknown as { prompt: unknown[] }).prompt = [...r.prompt, { role: 'user', content: [{ type: 'text', text: 'and?' }] }]; }],
  ];

  it.each(cases)('changes when %s changes', (_name, mutate) => {
    const changed = base() as Mutable<LlmRequest> & Record<string, unknown>;
    mutate(changed);
    expect(key(changed)).not.toBe(key(base()));
  });

  it('changes with the tenant and the operation', () => {
    const k = key(base());
    expect(llmRequestKey(base(), { tenant: 'globex' })).not.toBe(k);
    expect(llmRequestKey(base(), {})).not.toBe(k);
    expect(llmRequestKey(base(), { tenant: 'acme', operation: 'extract' })).not.toBe(k);
  });

  it('every case above yields a distinct key (no two mutations collide)', () => {
    const keys = cases.map(([, mutate]) => {
      const r = base() as Mutable<LlmRequest> & Record<string, unknown>;
      mutate(r);
      return key(r);
    });
    expect(new Set([...keys, key(base())]).size).toBe(cases.length + 1);
  });
});

describe('llmRequestKey: what does not change the key', () => {
  it('ignores headers, the abort signal, includeRawChunks and ignored provider options', () => {
    const r = base() as Mutable<LlmRequest>;
    r.headers = { 'x-request-id': 'other' };
    r.abortSignal = AbortSignal.abort();
    r.includeRawChunks = true;
    r.providerOptions = { openai: { reasoningEffort: 'low', user: 'someone-else', store: true }, 'redis-ai': { mode: 'refresh' } };
    expect(key(r)).toBe(key(base()));
  });

  it('ignores property order at every depth', () => {
    const r = base();
    const reordered = JSON.parse(JSON.stringify({ ...r, abortSignal: undefined })) as Record<string, unknown>;
    const reverse = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverse) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)])) : v;
    const shuffled = reverse(reordered) as LlmRequest;
    part(shuffled, 1, 1).data = image;
    expect(key(shuffled)).toBe(key(base()));
  });

  it('bytes and base64 of the same bytes key alike; V4 tagged file data too', () => {
    const withData = (data: unknown) => {
      const r = base();
      part(r, 1, 1).data = data;
      return key(r);
    };
    const b64 = Buffer.from(image).toString('base64');
    expect(withData(b64)).toBe(key(base()));
    expect(withData({ type: 'data', data: image })).toBe(key(base()));
    expect(withData(Buffer.from(image))).toBe(key(base()));
    expect(withData(`${b64}x`)).not.toBe(key(base()));
    expect(withData(new URL('https://example.com/a.png'))).toBe(withData({ type: 'url', url: new URL('https://example.com/a.png') }));
  });

  it('strings are length-prefixed, so text that looks like the encoding cannot collide; lone surrogates stay distinct', () => {
    const withText = (text: string) => {
      const r = base();
      part(r, 1, 0).text = text;
      return key(r);
    };
    expect(withText('a')).not.toBe(withText('as1:a'));
    expect(withText('\uD800')).not.toBe(withText('\uFFFD'));
    expect(withText('\uD800')).not.toBe(withText('\uDC00'));
  });

  it('undefined members equal absent ones', () => {
    expect(key({ ...base(), topK: undefined })).toBe(key(base()));
  });

  it('messages and parts key alike whatever extra members they carry that do not count (undefined, ignored provider options)', () => {
    const r = base();
    const extra = { providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } };
    const decorated = {
      ...r,
      prompt: [
        { ...r.prompt[0], ...extra },
        { role: 'user', content: [{ type: 'text', text: 'What is in this picture?', providerOptions: undefined }, part(r, 1, 1)], ...extra },
        { ...r.prompt[2], providerOptions: undefined },
        r.prompt[3],
      ],
    } as LlmRequest;
    expect(key(decorated)).toBe(key(r));
  });

  it('base64 file data keys like its bytes padded or not, in either alphabet; a string that is not exactly base64 is text', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0x01, 0x02, 0x03]);
    const withData = (data: unknown) => {
      const r = base();
      part(r, 1, 1).data = data;
      return key(r);
    };
    const standard = Buffer.from(bytes).toString('base64');
    expect(standard).toBe('+/8BAgM=');
    const expected = withData(bytes);
    for (const form of [standard, '+/8BAgM', '-_8BAgM=', '-_8BAgM']) expect(withData(form), form).toBe(expected);
    // Non-zero unused bits, a bad padding, a stray character: text, so each keys differently from the bytes.
    const texts = ['+/8BAgN=', '+/8BAgM==', '+/8BAgM=x', '+/8B AgM='];
    const keys = texts.map(withData);
    expect(new Set([...keys, expected]).size).toBe(texts.length + 1);
  });
});

describe('key format', () => {
  it('pins the key of a fixed request: any change of the derivation must bump LLM_KEY_VERSION (and this vector)', () => {
    expect(LLM_KEY_VERSION).toBe(2);
    expect(key(base())).toBe('llm:v2:tenant=acme:default:openai.chat:gpt-4o:8d1aea865640361fea6c37e312abc79f');
  });

  it('the digest is SHA-256 over the documented canonical encoding (sorted keys, length-prefixed strings, raw file bytes)', () => {
    const request: LlmRequest = {
      temperature: 0,
      provider: 'p',
      modelId: 'm',
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'file', mediaType: 'image/png', data: new Uint8Array([1, 2, 255]) }] }],
    };
    const input = Buffer.concat([
      Buffer.from('{s7:modelIds1:ms6:prompt[{s7:content[{s4:texts2:his4:types4:text}{s4:datab3:'),
      Buffer.from([1, 2, 255]),
      Buffer.from('s9:mediaTypes9:image/pngs4:types4:file}]s4:roles4:user}]s8:providers1:ps11:temperaturen0;}'),
    ]);
    const digest = createHash('sha256').update(input).digest('hex').slice(0, 32);
    expect(llmRequestKey(request)).toBe(`llm:v2:shared:default:p:m:${digest}`);
  });

  it('keys long, non-ASCII and lone-surrogate texts, reasoning parts and every role as the documented encoding', () => {
    const long = 'é'.repeat(300_000); // past the point where the gathered text goes to an incremental hash
    const lone = 'a\ud800b';
    const request: LlmRequest = {
      provider: 'p',
      modelId: 'm',
      prompt: [
        // A role outside the SDK's four takes the generic path; the key must not care.
        { role: 'developer', content: [{ type: 'text', text: long }] } as unknown as LlmRequest['prompt'][number],
        { role: 'assistant', content: [{ type: 'reasoning', text: lone }, { type: 'file', mediaType: 'application/octet-stream', data: new Uint8Array([0, 255]) }] },
        { role: 'user', content: [{ type: 'text', text: '🌟' }] },
      ],
    };
    const loneJson = JSON.stringify(lone);
    const input = Buffer.concat([
      Buffer.from(`{s7:modelIds1:ms6:prompt[{s7:content[{s4:texts300000:${long}s4:types4:text}]s4:roles9:developer}`),
      Buffer.from(`{s7:content[{s4:textj${loneJson.length}:${loneJson}s4:types9:reasoning}{s4:datab2:`),
      Buffer.from([0, 255]),
      Buffer.from('s9:mediaTypes24:application/octet-streams4:types4:file}]s4:roles9:assistant}{s7:content[{s4:texts2:🌟s4:types4:text}]s4:roles4:user}]s8:providers1:p}'),
    ]);
    const digest = createHash('sha256').update(input).digest('hex').slice(0, 32);
    expect(llmRequestKey(request)).toBe(`llm:v2:shared:default:p:m:${digest}`);
  });

  it('keys lone surrogates in any string, and one-part text messages of every role, as the documented encoding', () => {
    // Strings are tested for lone surrogates once, on the whole gathered text; this request needs the per-string `j` tokens.
    const request: LlmRequest = {
      provider: 'p',
      modelId: 'm',
      prompt: [
        { role: 'system', content: 'x\udc00' },
        { role: 'user', content: [{ type: 'text', text: '\ud800' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        { role: 'tool', content: [{ type: 'text', text: 'ok' }] } as unknown as LlmRequest['prompt'][number],
      ],
      tools: [{ type: 'function', name: 'f', inputSchema: { '\udbff': 1 } }],
    };
    const j = (text: string) => `j${JSON.stringify(text).length}:${JSON.stringify(text)}`;
    const input =
      `{s7:modelIds1:ms6:prompt[{s7:content${j('x\udc00')}s4:roles6:system}` +
      `{s7:content[{s4:text${j('\ud800')}s4:types4:text}]s4:roles4:user}` +
      '{s7:content[{s4:texts2:oks4:types4:text}]s4:roles9:assistant}{s7:content[{s4:texts2:oks4:types4:text}]s4:roles4:tool}' +
      `]s8:providers1:ps5:tools[{s11:inputSchema{${j('\udbff')}n1;}s4:names1:fs4:types8:function}]}`;
    const digest = createHash('sha256').update(input, 'utf8').digest('hex').slice(0, 32);
    expect(llmRequestKey(request)).toBe(`llm:v2:shared:default:p:m:${digest}`);
    expect(explainKey(request).key).toBe(`llm:v2:shared:default:p:m:${digest}`);
  });

  it('is versioned and namespaced, with a 128-bit digest and no prompt text', () => {
    const k = key(base());
    expect(k).toMatch(new RegExp(`^llm:v${LLM_KEY_VERSION}:tenant=acme:default:openai\\.chat:gpt-4o:[0-9a-f]{32}$`));
    expect(llmRequestKey(base())).toMatch(/^llm:v2:shared:default:/);
    expect(k).not.toContain('terse');
  });

  it('escapes provider and model ids so they hold no : or glob syntax', () => {
    const k = llmRequestKey({ ...base(), modelId: 'ft:gpt-4o:org*[x]' });
    expect(k).toContain(':ft%3Agpt-4o%3Aorg%2A%5Bx%5D:');
  });

  it('rejects invalid requests and scopes with a ValidationError naming the problem', () => {
    const bad: Array<[unknown, object, RegExp]> = [
      [{ ...base(), provider: '' }, {}, /provider/],
      [{ ...base(), prompt: 'hi' }, {}, /prompt/],
      [{ ...base(), prompt: [{ content: 'x' }] }, {}, /role/],
      [{ ...base(), temperature: Number.NaN }, {}, /temperature/],
      [{ ...base(), tools: [{ type: 'function', name: 'x', inputSchema: { f: () => 1 } }] }, {}, /tools\[0\]\.inputSchema\.f/],
      [{ ...base(), prompt: [{ role: 'user', content: [{ type: 'file', mediaType: 'image/png', data: 42 }] }] }, {}, /file data|data/],
      [base(), { tenant: 'a:b' }, /tenant/],
      [base(), { operation: 'a b' }, /operation/],
    ];
    for (const [request, s, message] of bad) {
      let error: unknown;
      try {
        llmRequestKey(request as LlmRequest, s);
      } catch (e) {
        error = e;
      }
      expect(isValidationError(error), String(message)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('explainKey', () => {
  it('lists included fields, ignored paths, component digests and files; no prompt text', () => {
    const r = base() as Mutable<LlmRequest>;
    (r as unknown as { prompt: unknown[] }).prompt = [
      ...r.prompt,
      { role: 'user', content: [{ type: 'text', text: 'more', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } }] },
    ];
    const e = explainKey(r, scope);
    expect(e.key).toBe(key(r));
    expect(e.version).toBe(2);
    expect(e.namespace).toEqual({ tenant: 'acme', operation: 'default', provider: 'openai.chat', modelId: 'gpt-4o' });
    expect(e.included).toEqual(['maxOutputTokens', 'modelId', 'prompt', 'provider', 'providerOptions', 'reasoning', 'responseFormat', 'seed', 'temperature', 'toolChoice', 'tools', 'topP']);
    expect(e.ignored.sort()).toEqual(['abortSignal', 'headers', 'prompt[4].content[0].providerOptions.anthropic.cacheControl', 'providerOptions.openai.user']);
    expect(Object.keys(e.components)).toEqual(expect.arrayContaining(['prompt', 'prompt[0]', 'prompt[4]', 'tools']));
    expect(e.files).toEqual([{ path: 'prompt[1].content[1].data', mediaType: 'image/png', source: 'bytes', bytes: image.byteLength, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(JSON.stringify(e)).not.toMatch(/terse|picture/);
  });

  it('a component digest pinpoints what changed', () => {
    const changed = base() as Mutable<LlmRequest>;
    changed.toolChoice = { type: 'none' };
    const a = explainKey(base(), scope).components;
    const b = explainKey(changed, scope).components;
    expect(Object.keys(a).filter((k) => a[k] !== b[k])).toEqual(['toolChoice']);
  });

  it('a custom allow-list decides which provider options count', () => {
    const r = base();
    const wider = { ...scope, providerOptionKeys: ['openai.*'] };
    expect(explainKey(r, wider).ignored).not.toContain('providerOptions.openai.user');
    const otherUser = { ...r, providerOptions: { openai: { reasoningEffort: 'low', user: 'x' } } };
    expect(llmRequestKey(otherUser, wider)).not.toBe(llmRequestKey(r, wider));
    expect(() => llmRequestKey(r, { providerOptionKeys: ['bad entry*'] })).toThrow(/providerOptionKeys/);
  });
});

describe('types map 1:1 from the AI SDK', () => {
  it('V4 and V3 call options (with provider and model id) are LlmRequests; V4 and V3 results are LlmResponses', () => {
    expectTypeOf<LanguageModelV4CallOptions & { provider: string; modelId: string }>().toExtend<LlmRequest>();
    expectTypeOf<LanguageModelV3CallOptions & { provider: string; modelId: string }>().toExtend<LlmRequest>();
    expectTypeOf<LanguageModelV4GenerateResult>().toExtend<LlmResponse>();
    expectTypeOf<LanguageModelV3GenerateResult>().toExtend<LlmResponse>();
  });
});
