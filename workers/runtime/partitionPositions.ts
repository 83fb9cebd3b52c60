import type { Message } from 'node-rdkafka';

/**
 * The partitions this worker owns and where it stands on each: the next
 * offset it expects to read (a record before it is a repeat), and the next
 * offset the sink has durably written (for lag). KafkaJS keeps the same
 * apart from its loop as `subscriptionState` and `offsetManager`.
 */
export class PartitionPositions {
  private readonly owned = new Set<number>();
  private readonly expected = new Map<number, number>();
  private readonly written = new Map<number, number>();

  /** A partition joins, starting at `start` (the sink's stored position) or, when undefined, at its beginning. */
  add(partition: number, start: number | undefined): void {
    this.owned.add(partition);
    if (start === undefined) {
      this.expected.delete(partition);
      this.written.delete(partition);
    } else {
      this.expected.set(partition, start);
      this.written.set(partition, start);
    }
  }

  remove(partitions: readonly number[]): void {
    for (const partition of partitions) {
      this.owned.delete(partition);
      this.expected.delete(partition);
      this.written.delete(partition);
    }
  }

  owns(partition: number): boolean {
    return this.owned.has(partition);
  }

  get partitions(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  expectedOf(partition: number): number | undefined {
    return this.expected.get(partition);
  }

  /** Moves the expected position after a seek (records retention removed). */
  expect(partition: number, offset: number): void {
    this.expected.set(partition, offset);
  }

  /**
   * Keeps the records of owned partitions that come at or after the expected
   * position, in order, and moves the expected position past them. Returns
   * them and how many were dropped as repeats or strays.
   */
  accept(messages: readonly Message[]): { fresh: Message[]; repeats: number; strays: number } {
    const fresh: Message[] = [];
    let repeats = 0;
    let strays = 0;
    for (const message of messages) {
      if (!this.owned.has(message.partition)) {
        strays++;
        continue;
      }
      const expected = this.expected.get(message.partition);
      if (expected !== undefined && message.offset < expected) {
        repeats++;
        continue;
      }
      this.expected.set(message.partition, message.offset + 1);
      fresh.push(message);
    }
    return { fresh, repeats, strays };
  }

  /** The sink has durably written up to these positions. */
  markWritten(positions: ReadonlyMap<number, number>): void {
    for (const [partition, next] of positions) if (this.owned.has(partition)) this.written.set(partition, next);
  }

  writtenOf(partition: number): number | undefined {
    return this.written.get(partition);
  }
}
