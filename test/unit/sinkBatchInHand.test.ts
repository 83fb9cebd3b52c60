import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'node-rdkafka';
import { BatchInHand, splitEntries, storeRequestOf } from '../../workers/runtime/batchInHand';
import { sampleBid } from '../support/bidStream';

function message(partition: number, offset: number): Message {
  return { topic: 'auction', partition, offset, value: Buffer.alloc(0), size: 0 } as Message;
}

function batchOf(...positions: [number, number][]): BatchInHand {
  const batch = new BatchInHand(positions.map(([partition, offset]) => ({ message: message(partition, offset) })));
  batch.entries.forEach((entry, i) => {
    entry.record = {
      bid: sampleBid(i),
      extra: {},
      schemaId: 1,
      topic: 'auction',
      partition: entry.message.partition,
      offset: entry.message.offset,
    };
  });
  return batch;
}

describe('the batch in hand', () => {
  it('is stored as a growing prefix, so a retry starts after what was written', () => {
    const batch = batchOf([0, 10], [1, 5], [0, 11], [1, 6]);
    batch.markStored(2);
    assert.deepEqual(
      batch.unstored().map((entry) => [entry.message.partition, entry.message.offset]),
      [
        [0, 11],
        [1, 6],
      ],
    );
    assert.equal(batch.isStored, false);
    batch.markStored(2);
    assert.equal(batch.isStored, true);
  });

  it('drops only the unwritten entries of revoked partitions', () => {
    const batch = batchOf([0, 10], [1, 5], [0, 11], [1, 6]);
    batch.markStored(2);
    assert.equal(batch.dropPartitions(new Set([1])), 1);
    assert.deepEqual(
      batch.entries.map((entry) => [entry.message.partition, entry.message.offset]),
      [
        [0, 10],
        [1, 5],
        [0, 11],
      ],
    );
  });

  it('records the positions of dead-lettered entries with the bids around them', () => {
    const batch = batchOf([0, 10], [0, 11], [2, 3]);
    batch.entries[2]!.record = undefined;
    const { records, positions } = storeRequestOf(batch.entries);
    assert.equal(records.length, 2);
    assert.deepEqual(
      [...positions],
      [
        [0, 12],
        [2, 4],
      ],
    );
  });

  it('splits a run into two non-empty halves with about half the bids each', () => {
    const batch = batchOf([0, 1], [0, 2], [0, 3], [0, 4], [0, 5]);
    const [left, right] = splitEntries(batch.entries);
    assert.equal(left.length, 2);
    assert.equal(right.length, 3);
    const [one, two] = splitEntries(batch.entries.slice(0, 2));
    assert.equal(one.length, 1);
    assert.equal(two.length, 1);
  });
});
