import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PartitionPauses } from '../../workers/runtime/partitionPauses';

/** Plays librdkafka's part: a pause flag per partition that survives unassign and assign. */
function librdkafkaFlags(): {
  paused: Set<number>;
  pause: (p: readonly number[]) => void;
  resume: (p: readonly number[]) => void;
} {
  const paused = new Set<number>();
  return {
    paused,
    pause: (partitions) => partitions.forEach((partition) => paused.add(partition)),
    resume: (partitions) => partitions.forEach((partition) => paused.delete(partition)),
  };
}

describe('partition pauses owned by the runtime', () => {
  it('pauses every assigned partition while a reason holds and resumes them all when the last one ends', () => {
    const flags = librdkafkaFlags();
    const pauses = new PartitionPauses(flags);
    pauses.assign([0, 1]);
    pauses.hold('waiting');
    pauses.hold('backpressure');
    pauses.release('waiting');
    assert.deepEqual([...flags.paused].sort(), [0, 1]);
    pauses.release('backpressure');
    assert.deepEqual([...flags.paused], []);
  });

  it('resumes every partition after a rebalance during an outage, including those paused under the old assignment', () => {
    const flags = librdkafkaFlags();
    const pauses = new PartitionPauses(flags);
    pauses.assign([0, 1]);
    pauses.hold('waiting');
    // The other instance leaves: this one is revoked and handed all four partitions while still waiting.
    pauses.revoke([0, 1]);
    pauses.assign([0, 1, 2, 3]);
    assert.deepEqual([...flags.paused].sort(), [0, 1, 2, 3], 'new partitions wait with the rest');
    pauses.release('waiting');
    assert.deepEqual([...flags.paused], [], 'the store is back: nothing stays paused');
  });

  it('clears a stale pause flag on a partition assigned while nothing is waited for', () => {
    const flags = librdkafkaFlags();
    flags.paused.add(2);
    const pauses = new PartitionPauses(flags);
    pauses.assign([2]);
    assert.deepEqual([...flags.paused], []);
  });
});
