import type { Clock, Logger } from '@cache/core';
import type { SecurityLevel } from './security-options.js';

/** One recorded security event (newest last). */
export interface SecurityEvent {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly eventType: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly securityLevel: SecurityLevel;
}

/** Most events kept; older ones are dropped first. */
export const MAX_SECURITY_EVENTS = 1000;

/** Bounded, newest-last event log; each record is also logged at info as `Security event: <type>`. */
export class SecurityEventLog {
  private readonly events: SecurityEvent[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Appends an event (dropping the oldest beyond {@link MAX_SECURITY_EVENTS}) and logs it. */
  record(eventType: string, details: Record<string, unknown>, securityLevel: SecurityLevel): void {
    const event: SecurityEvent = Object.freeze({
      timestamp: this.clock.now(),
      eventType,
      details: Object.freeze({ ...details }),
      securityLevel,
    });
    this.events.push(event);
    if (this.events.length > MAX_SECURITY_EVENTS) this.events.splice(0, this.events.length - MAX_SECURITY_EVENTS);
    this.logger.info(`Security event: ${eventType}`, { ...details, securityLevel });
  }

  /** A snapshot, oldest first. */
  list(): readonly SecurityEvent[] {
    return Object.freeze([...this.events]);
  }

  /** Number of events kept. */
  get size(): number {
    return this.events.length;
  }
}
