import type { Message } from 'node-rdkafka';
import type { BatchEntry } from './batchInHand';

/**
 * The records read since the last write, gathered until the batch is due.
 * Records keep the order they were consumed in; `positions` is each
 * partition's offset after the last record taken.
 *
 * The batching rule: a batch is due as soon as the consumer has nothing more
 * buffered (the last consume call came back with fewer records than it asked
 * for), so a lone bid is written at once. While records keep arriving it
 * lingers, up to `maxRecords` or until its first record has waited
 * `lingerMs`, so a burst is written in large batches.
 */
export class PendingBatch {
  private entries: BatchEntry[] = [];
  private firstArrivalAt: number | undefined;
  private consumerDrained = false;

  constructor(
    private readonly maxRecords: number,
    private readonly lingerMs: number,
  ) {}

  isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /**
   * Adds what one consume call returned. `consumerDrained`: the call came
   * back with fewer records than it asked for, i.e. it waited its
   * per-message timeout and nothing more came (see consumeCallFor).
   */
  add(entries: readonly BatchEntry[], now: number, consumerDrained: boolean): void {
    this.consumerDrained = consumerDrained;
    if (entries.length === 0) return;
    if (this.firstArrivalAt === undefined) this.firstArrivalAt = now;
    for (const entry of entries) this.entries.push(entry);
  }

  /** Holding records, and either full, caught up with the consumer, or holding a record that has waited the linger time. */
  isDue(now: number): boolean {
    if (this.entries.length === 0) return false;
    if (this.entries.length >= this.maxRecords || this.consumerDrained) return true;
    return this.firstArrivalAt !== undefined && now - this.firstArrivalAt >= this.lingerMs;
  }

  /** How long the batch may still linger (0 when due by time; the linger when empty). */
  lingerLeft(now: number): number {
    if (this.firstArrivalAt === undefined) return this.lingerMs;
    return Math.max(0, this.firstArrivalAt + this.lingerMs - now);
  }

  /** Room left before the batch is full: how many records the next consume may ask for. */
  room(): number {
    return Math.max(0, this.maxRecords - this.entries.length);
  }

  /** Removes and returns everything gathered; the next record starts a new linger. */
  take(): BatchEntry[] {
    const taken = this.entries;
    this.entries = [];
    this.firstArrivalAt = undefined;
    this.consumerDrained = false;
    return taken;
  }

  /** Forgets the records of partitions this worker no longer owns (their next owner reads them again). */
  dropPartitions(partitions: ReadonlySet<number>): number {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => !partitions.has(entry.message.partition));
    if (this.entries.length === 0) this.firstArrivalAt = undefined;
    return before - this.entries.length;
  }
}

/** Each partition's next offset to read after `messages`: the last offset seen plus one. */
export function nextPositions(messages: readonly Message[]): Map<number, number> {
  const positions = new Map<number, number>();
  for (const message of messages) {
    const current = positions.get(message.partition);
    if (current === undefined || message.offset + 1 > current) positions.set(message.partition, message.offset + 1);
  }
  return positions;
}
