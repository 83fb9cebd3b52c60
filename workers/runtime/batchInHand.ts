import type { Message } from 'node-rdkafka';
import type { DecodedBid } from '../../lib/registry/bidCodec';
import { nextPositions } from './batch';
import type { SinkRecord } from './sink';

/** One consumed record in the batch being written, and what has been done with it so far. */
export interface BatchEntry {
  message: Message;
  /** Filled on the first attempt; a retry never decodes twice. */
  decoded?: DecodedBid;
  /** The bid to store, once decoded; cleared when the record is dead-lettered or skipped instead. */
  record?: SinkRecord;
  /** Set once the record is safely on the dead-letter topic (or deliberately skipped): never sent twice. */
  settled?: 'dead-lettered' | 'skipped';
}

/**
 * The batch a worker is writing, kept across retries. Entries are in the
 * order they were consumed, so each partition's entries are in offset order,
 * and the batch is stored as a growing prefix: `storedCount` entries are
 * durably written (with their positions), the rest are not. A retry, or the
 * second half of a batch split to isolate a refused record, starts there,
 * so no part of a batch is ever written twice.
 */
export class BatchInHand {
  readonly entries: BatchEntry[];
  private stored = 0;
  /** Why the batch must not be written after all (the worker is stopping while waiting). */
  abandoned: string | undefined;

  /** `entries` in the order they were consumed; some may already be decoded. */
  constructor(entries: BatchEntry[]) {
    this.entries = entries;
  }

  get storedCount(): number {
    return this.stored;
  }

  get isStored(): boolean {
    return this.stored >= this.entries.length;
  }

  /** The entries not yet durably written. */
  unstored(): BatchEntry[] {
    return this.entries.slice(this.stored);
  }

  /** The next `count` entries are durably written. */
  markStored(count: number): void {
    this.stored = Math.min(this.entries.length, this.stored + count);
  }

  /**
   * Forgets the unwritten entries of partitions this worker no longer owns:
   * their next owner reads them again from the positions the sink stored.
   * Returns how many were dropped.
   */
  dropPartitions(partitions: ReadonlySet<number>): number {
    const kept = this.entries.filter((entry, i) => i < this.stored || !partitions.has(entry.message.partition));
    const dropped = this.entries.length - kept.length;
    this.entries.splice(0, this.entries.length, ...kept);
    return dropped;
  }

  /** The partitions with entries still to write. */
  unstoredPartitions(): number[] {
    return [...new Set(this.unstored().map((entry) => entry.message.partition))];
  }
}

/** The bids to store and the positions to record for a run of entries. */
export function storeRequestOf(entries: readonly BatchEntry[]): {
  records: SinkRecord[];
  positions: Map<number, number>;
} {
  const records: SinkRecord[] = [];
  for (const entry of entries) if (entry.record) records.push(entry.record);
  return { records, positions: nextPositions(entries.map((entry) => entry.message)) };
}

/**
 * Cuts a run of entries in two with about half the bids in each, for
 * isolating a record the store refuses. Both halves are non-empty whenever
 * the run holds two bids or more.
 */
export function splitEntries(entries: readonly BatchEntry[]): [BatchEntry[], BatchEntry[]] {
  const withRecords = entries.flatMap((entry, i) => (entry.record ? [i] : []));
  const cut = withRecords[Math.floor(withRecords.length / 2)] ?? Math.ceil(entries.length / 2);
  return [entries.slice(0, cut), entries.slice(cut)];
}
