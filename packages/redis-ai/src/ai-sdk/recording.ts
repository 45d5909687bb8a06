import type { LanguageModelV4Content, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { AbortedError } from '@cache/core';
import type { LlmResponse } from '../llm/request.js';

/** A recorded stream as stored: every part (raw chunks excepted) and its offset from the start, ms. */
export interface StreamRecord {
  readonly parts: LanguageModelV4StreamPart[];
  readonly at: number[];
}

/** A response that carries its stream recording next to the generate-shaped fields. */
export type RecordedResponse = LlmResponse & { readonly stream?: StreamRecord };


interface Subscriber {
  readonly controller: ReadableStreamDefaultController<LanguageModelV4StreamPart>;
  readonly until: Promise<unknown> | undefined;
  next: number;
}

export class LiveRecording {
  /** The response after a clean finish; rejects for an errored, unfinished or aborted stream. */
  readonly done: Promise<RecordedResponse>;
  readonly #parts: LanguageModelV4StreamPart[] = [];
  readonly #at: number[] = [];
  readonly #subscribers = new Set<Subscriber>();
  readonly #reader: ReadableStreamDefaultReader<LanguageModelV4StreamPart>;
  readonly #started = performance.now();
  #ended = false;
  #failure: unknown = undefined;

  /** Starts reading `stream` at once. */
  constructor(stream: ReadableStream<LanguageModelV4StreamPart>, signal: AbortSignal | undefined) {
    this.#reader = stream.getReader();
    const onAbort = (): void => void this.#stop(signal?.reason ?? new AbortedError('The stream was aborted', { code: 'ABORTED' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    this.done = this.#pump(signal).finally(() => signal?.removeEventListener('abort', onAbort));
    this.done.catch(() => undefined);
    if (signal?.aborted) onAbort();
  }

  /** True while the model stream is still being read: a newcomer can follow it live. Once it ended, newcomers read the stored entry. */
  get live(): boolean {
    return !this.#ended;
  }

  /**
   * A new live stream of every part, from the first. After a clean end it closes once `until`
   * settles (the caller's store), so a caller that read to the end can read its own write.
   */
  subscribe(until?: Promise<unknown>): ReadableStream<LanguageModelV4StreamPart> {
    let self: Subscriber | undefined;
    return new ReadableStream<LanguageModelV4StreamPart>({
      start: (controller) => {
        self = { controller, until, next: 0 };
        this.#flush(self);
        if (this.#ended) this.#end(self);
        else this.#subscribers.add(self);
      },
      cancel: () => {
        if (self) this.#subscribers.delete(self);
        if (this.#subscribers.size === 0 && !this.#ended) void this.#stop(new AbortedError('Every reader cancelled the stream', { code: 'ABORTED' }));
      },
    });
  }

  async #pump(signal: AbortSignal | undefined): Promise<RecordedResponse> {
    let errored = false;
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        if (value.type === 'raw') continue;
        if (value.type === 'error') errored = true;
        if (value.type === 'finish') finished = true;
        this.#parts.push(value);
        this.#at.push(Math.round(performance.now() - this.#started));
        for (const s of this.#subscribers) this.#flush(s);
      }
    } catch (error) {
      this.#failure ??= error;
    }
    this.#ended = true;
    for (const s of this.#subscribers) {
      this.#flush(s);
      this.#end(s);
    }
    this.#subscribers.clear();
    if (this.#failure !== undefined) throw this.#failure;
    if (signal?.aborted) throw signal.reason;
    if (errored) throw new AbortedError('The stream reported an error; nothing was stored', { code: 'STREAM_ERROR' });
    if (!finished) throw new AbortedError('The stream ended without a finish part; nothing was stored', { code: 'STREAM_UNFINISHED' });
    return { ...aggregate(this.#parts), stream: { parts: this.#parts, at: this.#at } };
  }

  #end(s: Subscriber): void {
    const finish = (): void => {
      try {
        if (this.#failure !== undefined) s.controller.error(this.#failure);
        else s.controller.close();
      } catch {
        // already cancelled by its reader
      }
    };
    if (this.#failure !== undefined || s.until === undefined) finish();
    else void s.until.then(finish, finish);
  }

  #flush(s: Subscriber): void {
    try {
      while (s.next < this.#parts.length) s.controller.enqueue(this.#parts[s.next++] as LanguageModelV4StreamPart);
    } catch {
      this.#subscribers.delete(s);
    }
  }

  async #stop(reason: unknown): Promise<void> {
    if (this.#ended) return;
    this.#failure ??= reason;
    try {
      await this.#reader.cancel(reason);
    } catch {
      // the model stream is gone either way
    }
  }
}

type Block = { kind: 'text' | 'reasoning'; text: string; part: Record<string, unknown> };

/**
 * The generate-shaped response of a stream: text and reasoning deltas joined per block (in the
 * order blocks started), every other content part as it came, finish reason, usage, provider
 * metadata, response metadata and warnings.
 */
export function aggregate(parts: readonly LanguageModelV4StreamPart[]): LlmResponse {
  const content: Array<Block | LanguageModelV4Content> = [];
  const open = new Map<string, Block>();
  let finish: Extract<LanguageModelV4StreamPart, { type: 'finish' }> | undefined;
  let warnings: unknown[] = [];
  let response: Record<string, unknown> | undefined;
  for (const part of parts) {
    switch (part.type) {
      case 'text-start':
      case 'reasoning-start': {
        const kind = part.type === 'text-start' ? 'text' : 'reasoning';
        const block: Block = { kind, text: '', part: part.providerMetadata === undefined ? {} : { providerMetadata: part.providerMetadata } };
        open.set(`${kind}:${part.id}`, block);
        content.push(block);
        break;
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const block = open.get(`${part.type === 'text-delta' ? 'text' : 'reasoning'}:${part.id}`);
        if (block) block.text += part.delta;
        break;
      }
      case 'text-end': {
        const block = open.get(`text:${part.id}`);
        if (block && part.citations !== undefined) block.part['citations'] = part.citations;
        break;
      }
      case 'reasoning-end':
      case 'tool-input-start':
      case 'tool-input-delta':
      case 'tool-input-end':
      case 'ping':
      case 'raw':
      case 'error':
        break;
      case 'stream-start':
        warnings = part.warnings;
        break;
      case 'response-metadata': {
        const { type: _type, ...meta } = part;
        response = meta;
        break;
      }
      case 'finish':
        finish = part;
        break;
      default:
        content.push(part);
    }
  }
  return {
    content: content.map((c) => ('kind' in c && 'part' in c ? { type: c.kind, text: c.text, ...c.part } : c)) as LlmResponse['content'],
    finishReason: finish?.finishReason ?? { unified: 'other', raw: undefined },
    ...(finish === undefined ? {} : { usage: finish.usage }),
    ...(finish?.providerMetadata === undefined ? {} : { providerMetadata: finish.providerMetadata }),
    ...(response === undefined ? {} : { response }),
    warnings,
  };
}

/**
 * A stream of recorded parts: all at once (`instant`) or each at its recorded offset
 * (`recorded`). `decorate` may replace a part (the hit marker on `finish`).
 */
export function replayStream(
  record: StreamRecord,
  replay: 'instant' | 'recorded',
  decorate: (part: LanguageModelV4StreamPart) => LanguageModelV4StreamPart,
): ReadableStream<LanguageModelV4StreamPart> {
  const { parts, at } = record;
  if (replay === 'instant') {
    return new ReadableStream({
      start(controller) {
        for (const part of parts) controller.enqueue(decorate(part));
        controller.close();
      },
    });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream({
    start(controller) {
      const begin = performance.now();
      let i = 0;
      const next = (): void => {
        while (i < parts.length && (at[i] ?? 0) <= performance.now() - begin) controller.enqueue(decorate(parts[i++] as LanguageModelV4StreamPart));
        if (i === parts.length) controller.close();
        else timer = setTimeout(next, Math.max(0, (at[i] ?? 0) - (performance.now() - begin)));
      };
      next();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
    },
  });
}
