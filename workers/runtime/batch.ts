import type { Message } from 'node-rdkafka';

/**
 * The records read since the last write, gathered until the batch is big
 * enough or old enough to write. Records keep the order they were consumed
 * in; `positions` is each partition's offset after the last record taken.
 */
export class PendingBatch {
  private messages: Message[] = [];
  private firstArrivalAt: number | undefined;

  constructor(
    private readonly maxRecords: number,
    private readonly lingerMs: number,
  ) {}

  isEmpty(): boolean {
    return this.messages.length === 0;
  }

  add(messages: readonly Message[], now: number): void {
    if (messages.length === 0) return;
    if (this.firstArrivalAt === undefined) this.firstArrivalAt = now;
    this.messages.push(...messages);
  }

  /** Full, or holding a record that has waited the linger time. */
  isDue(now: number): boolean {
    if (this.messages.length >= this.maxRecords) return true;
    return this.firstArrivalAt !== undefined && now - this.firstArrivalAt >= this.lingerMs;
  }

  /** Room left before the batch is full: how many records the next consume may ask for. */
  room(): number {
    return Math.max(0, this.maxRecords - this.messages.length);
  }

  /** Removes and returns everything gathered; the next record starts a new linger. */
  take(): Message[] {
    const taken = this.messages;
    this.messages = [];
    this.firstArrivalAt = undefined;
    return taken;
  }

  /** Forgets the records of partitions this worker no longer owns (their next owner reads them again). */
  dropPartitions(partitions: ReadonlySet<number>): number {
    const before = this.messages.length;
    this.messages = this.messages.filter((message) => !partitions.has(message.partition));
    if (this.messages.length === 0) this.firstArrivalAt = undefined;
    return before - this.messages.length;
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
