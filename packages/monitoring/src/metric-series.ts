import { EMPTY_DATA } from './json-data.js';
import {
  createCompressionMetric,
  createPerformanceMetric,
  type CompressionMetric,
  type PerformanceMetric,
} from './metric-records.js';
import { TimedRing } from './timed-ring.js';

const DURATION = 0;
const TEXT_LENGTH = 1;
const OPERATION = 0;
const DATA = 1;

/** Timings (key generation or cache operations) stored column-wise: recording allocates nothing. */
export class PerformanceSeries {
  readonly ring: TimedRing;

  constructor(maxItems: number) {
    this.ring = new TimedRing(maxItems, 2, 2);
  }

  /** Appends one timing and prunes items at or before `cutoff`. */
  add(
    timestamp: number,
    cutoff: number,
    durationMs: number,
    textLength: number,
    operationType: string,
    data: Readonly<Record<string, unknown>>,
  ): void {
    const ring = this.ring;
    const slot = ring.append(timestamp, cutoff);
    (ring.numbers[DURATION] as Float64Array)[slot] = durationMs;
    (ring.numbers[TEXT_LENGTH] as Float64Array)[slot] = textLength;
    (ring.objects[OPERATION] as unknown[])[slot] = operationType;
    (ring.objects[DATA] as unknown[])[slot] = data;
    ring.prune(cutoff);
  }

  /** Duration of the `index`-th retained item (0 = oldest). */
  durationAt(index: number): number {
    return (this.ring.numbers[DURATION] as Float64Array)[this.ring.slot(index)] as number;
  }

  /** Text length of the `index`-th retained item. */
  textLengthAt(index: number): number {
    return (this.ring.numbers[TEXT_LENGTH] as Float64Array)[this.ring.slot(index)] as number;
  }

  /** Operation name of the `index`-th retained item. */
  operationAt(index: number): string {
    return (this.ring.objects[OPERATION] as unknown[])[this.ring.slot(index)] as string;
  }

  /** The `index`-th retained item as a frozen metric. */
  metricAt(index: number): PerformanceMetric {
    const slot = this.ring.slot(index);
    return createPerformanceMetric({
      durationMs: (this.ring.numbers[DURATION] as Float64Array)[slot] as number,
      textLength: (this.ring.numbers[TEXT_LENGTH] as Float64Array)[slot] as number,
      timestamp: this.ring.timestamps[slot] as number,
      operationType: (this.ring.objects[OPERATION] as unknown[])[slot] as string,
      additionalData: ((this.ring.objects[DATA] as unknown[])[slot] as Readonly<Record<string, unknown>>) ?? EMPTY_DATA,
    });
  }

  /** Every retained item, oldest first. */
  toArray(): readonly PerformanceMetric[] {
    return Object.freeze(Array.from({ length: this.ring.length }, (_, i) => this.metricAt(i)));
  }
}

const ORIGINAL = 0;
const COMPRESSED = 1;
const RATIO = 2;
const TIME = 3;

/** Compression results stored column-wise. */
export class CompressionSeries {
  readonly ring: TimedRing;

  constructor(maxItems: number) {
    this.ring = new TimedRing(maxItems, 4, 1);
  }

  /** Appends one result and prunes items at or before `cutoff`. */
  add(timestamp: number, cutoff: number, metric: Omit<CompressionMetric, 'timestamp'>): void {
    const ring = this.ring;
    const slot = ring.append(timestamp, cutoff);
    (ring.numbers[ORIGINAL] as Float64Array)[slot] = metric.originalSize;
    (ring.numbers[COMPRESSED] as Float64Array)[slot] = metric.compressedSize;
    (ring.numbers[RATIO] as Float64Array)[slot] = metric.compressionRatio;
    (ring.numbers[TIME] as Float64Array)[slot] = metric.compressionTimeMs;
    (ring.objects[OPERATION] as unknown[])[slot] = metric.operationType;
    ring.prune(cutoff);
  }

  /** The `index`-th retained item as a frozen metric. */
  metricAt(index: number): CompressionMetric {
    const slot = this.ring.slot(index);
    const column = (c: number): number => (this.ring.numbers[c] as Float64Array)[slot] as number;
    return createCompressionMetric({
      originalSize: column(ORIGINAL),
      compressedSize: column(COMPRESSED),
      compressionRatio: column(RATIO),
      compressionTimeMs: column(TIME),
      timestamp: this.ring.timestamps[slot] as number,
      operationType: (this.ring.objects[OPERATION] as unknown[])[slot] as string,
    });
  }

  /** Every retained item, oldest first. */
  toArray(): readonly CompressionMetric[] {
    return Object.freeze(Array.from({ length: this.ring.length }, (_, i) => this.metricAt(i)));
  }
}

const RECORD = 0;

/** Low-rate series (memory snapshots, invalidations) storing each frozen record with an optional number. */
export class RecordSeries<T extends { readonly timestamp: number }> {
  readonly ring: TimedRing;

  constructor(maxItems: number) {
    this.ring = new TimedRing(maxItems, 1, 1);
  }

  /** Appends `record` (with an attached number, e.g. a capacity) and prunes items at or before `cutoff`. */
  add(record: T, cutoff: number, attached = 0): void {
    const slot = this.ring.append(record.timestamp, cutoff);
    (this.ring.objects[RECORD] as unknown[])[slot] = record;
    (this.ring.numbers[0] as Float64Array)[slot] = attached;
    this.ring.prune(cutoff);
  }

  /** The `index`-th retained record (0 = oldest). */
  at(index: number): T {
    return (this.ring.objects[RECORD] as unknown[])[this.ring.slot(index)] as T;
  }

  /** The number attached to the `index`-th retained record. */
  attachedAt(index: number): number {
    return (this.ring.numbers[0] as Float64Array)[this.ring.slot(index)] as number;
  }

  /** The newest `n` retained records (all when fewer), oldest first. */
  last(n: number): T[] {
    const from = Math.max(0, this.ring.length - n);
    return Array.from({ length: this.ring.length - from }, (_, i) => this.at(from + i));
  }

  /** Every retained record, oldest first. */
  toArray(): readonly T[] {
    return Object.freeze(this.last(this.ring.length));
  }
}
