/** What the runtime pauses partitions for: the store (or registry, or DLQ) is being waited out, or the next batch is full. */
export type PauseReason = 'waiting' | 'backpressure';

/** The consumer calls pausing needs. */
export interface Pausable {
  pause(partitions: readonly number[]): void;
  resume(partitions: readonly number[]): void;
}

/**
 * Which assigned partitions are paused, and why, owned by the runtime rather
 * than by whoever paused last. A partition is paused while any reason holds.
 * librdkafka keeps a partition's pause flag across unassign and assign, so
 * a partition is resumed when it is revoked, and a newly assigned partition
 * is explicitly paused or resumed to match the current reasons: a partition
 * paused under an earlier assignment can never stay paused by accident.
 */
export class PartitionPauses {
  private readonly reasons = new Set<PauseReason>();
  private readonly assigned = new Set<number>();

  constructor(private readonly consumer: Pausable) {}

  get isPaused(): boolean {
    return this.reasons.size > 0;
  }

  get activeReasons(): PauseReason[] {
    return [...this.reasons];
  }

  /** The partitions paused right now (all assigned ones while any reason holds). */
  get pausedPartitions(): number[] {
    return this.isPaused ? [...this.assigned].sort((a, b) => a - b) : [];
  }

  hold(reason: PauseReason): void {
    const wasPaused = this.isPaused;
    this.reasons.add(reason);
    if (!wasPaused) this.consumer.pause([...this.assigned]);
  }

  release(reason: PauseReason): void {
    if (!this.reasons.delete(reason)) return;
    if (!this.isPaused) this.consumer.resume([...this.assigned]);
  }

  /** Newly assigned partitions take the current state. */
  assign(partitions: readonly number[]): void {
    for (const partition of partitions) this.assigned.add(partition);
    if (this.isPaused) this.consumer.pause(partitions);
    else this.consumer.resume(partitions);
  }

  /** Revoked partitions leave unpaused, so no stale flag survives into a later assignment. */
  revoke(partitions: readonly number[]): void {
    const owned = partitions.filter((partition) => this.assigned.delete(partition));
    if (owned.length > 0) this.consumer.resume(owned);
  }
}
