import type { Logger } from '@cache/core';
import type { EventHub } from './events.js';
import { RateLimiter } from './rate-limited-log.js';
import type { RedisProblem } from './redis-errors.js';
import type { Counters } from './stats.js';

/**
 * The one place refusals and failures become log lines and `redis_error` events. Every
 * occurrence is counted; each kind of problem is logged and emitted at most once per window
 * (with the number suppressed since), so a failing server never produces a line per operation.
 */
export class ProblemReporter {
  readonly #logger: Logger;
  readonly #events: EventHub;
  readonly #counters: () => Counters;
  readonly #limiter = new RateLimiter();

  constructor(logger: Logger, events: EventHub, counters: () => Counters) {
    this.#logger = logger;
    this.#events = events;
    this.#counters = counters;
  }

  /** A failed Redis command during `operation`; `consequence` says what the cache did instead. */
  redis(operation: string, problem: RedisProblem, consequence: string): void {
    this.#counters().redisErrors++;
    const suppressed = this.#limiter.admit(`redis:${problem.kind}:${problem.command}`);
    if (suppressed === null) return;
    const fix = problem.hint ? `. Fix: ${problem.hint}` : '';
    this.#logger.warn(`${problem.message}${fix}. ${consequence}`, { operation, command: problem.command, kind: problem.kind, suppressed });
    this.#events.emit('redis_error', {
      operation,
      command: problem.command,
      kind: problem.kind,
      permanent: problem.permanent,
      message: problem.message,
      ...(problem.hint ? { hint: problem.hint } : {}),
      suppressed,
    });
  }

  /** A warning that may repeat (decode refusals, L1 failures, backlog widening): at most one line per `kind` per window. */
  warn(kind: string, message: string, meta: Record<string, unknown> = {}): void {
    const suppressed = this.#limiter.admit(kind);
    if (suppressed === null) return;
    this.#logger.warn(message, { ...meta, suppressed });
  }
}
