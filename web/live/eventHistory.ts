import type { RecordFrames } from './liveEvent';
import type { PositionVector } from './positionVector';

/** What a reconnecting client gets: the records it missed, in order, or a reset when history no longer reaches back that far. */
export type Catchup = { kind: 'replay'; records: RecordFrames[] } | { kind: 'reset' };

/**
 * The last `capacity` bid records the feed announced, with their event
 * frames, in the order they were read: what a client reconnecting with
 * `Last-Event-ID` is replayed. For each partition it remembers where its
 * coverage starts, the next offset after the last record it let go, so it
 * can tell "you missed nothing here" from "what you missed is gone".
 */
export class EventHistory {
  private readonly ring: (RecordFrames | undefined)[];
  private start = 0;
  private size = 0;
  private readonly coveredFrom = new Map<number, number>();

  constructor(
    private readonly capacity: number,
    startPositions: PositionVector,
  ) {
    this.ring = new Array<RecordFrames | undefined>(capacity);
    for (const [partition, offset] of startPositions) this.coveredFrom.set(partition, offset);
  }

  /** A partition the feed started reading later (added to the topic): covered from where it started. */
  addPartition(partition: number, startOffset: number): void {
    if (!this.coveredFrom.has(partition)) this.coveredFrom.set(partition, startOffset);
  }

  append(record: RecordFrames): void {
    if (this.size === this.capacity) {
      const evicted = this.ring[this.start]!;
      this.coveredFrom.set(evicted.partition, evicted.offset + 1);
      this.ring[this.start] = record;
      this.start = (this.start + 1) % this.capacity;
      return;
    }
    this.ring[(this.start + this.size) % this.capacity] = record;
    this.size += 1;
  }

  /** The newest record, to which a later `lots` frame is attached. */
  newest(): RecordFrames | undefined {
    return this.size === 0 ? undefined : this.ring[(this.start + this.size - 1) % this.capacity];
  }

  /**
   * The records at or after `since` (partition → next offset the client had
   * not seen), oldest first. A partition `since` does not name counts as
   * "from its beginning".
   */
  catchUp(since: PositionVector): Catchup {
    for (const [partition, coveredFrom] of this.coveredFrom) {
      if ((since.get(partition) ?? 0) < coveredFrom) return { kind: 'reset' };
    }
    const records: RecordFrames[] = [];
    for (let i = 0; i < this.size; i += 1) {
      const record = this.ring[(this.start + i) % this.capacity]!;
      if (record.offset >= (since.get(record.partition) ?? 0)) records.push(record);
    }
    return { kind: 'replay', records };
  }
}
