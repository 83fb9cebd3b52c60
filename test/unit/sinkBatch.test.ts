import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'node-rdkafka';
import { nextPositions, PendingBatch } from '../../workers/runtime/batch';

function message(partition: number, offset: number): Message {
  return { topic: 'auction', partition, offset, value: Buffer.from('x'), size: 1 };
}

describe('batch accumulation', () => {
  it('is due once it holds the maximum number of records', () => {
    const batch = new PendingBatch(3, 60_000);
    batch.add([message(0, 0), message(0, 1)], 1000);
    assert.equal(batch.isDue(1000), false);
    assert.equal(batch.room(), 1);
    batch.add([message(1, 0)], 1001);
    assert.equal(batch.isDue(1001), true);
    assert.equal(batch.room(), 0);
  });

  it('is due once its first record has waited the linger time, counted from that record', () => {
    const batch = new PendingBatch(100, 50);
    assert.equal(batch.isDue(0), false, 'an empty batch is never due');
    batch.add([message(0, 0)], 1000);
    batch.add([message(0, 1)], 1040);
    assert.equal(batch.isDue(1049), false);
    assert.equal(batch.isDue(1050), true);
  });

  it('hands over records in consume order and starts a fresh linger afterwards', () => {
    const batch = new PendingBatch(100, 50);
    batch.add([message(0, 5), message(1, 2), message(0, 6)], 1000);
    assert.deepEqual(
      batch.take().map((m) => [m.partition, m.offset]),
      [
        [0, 5],
        [1, 2],
        [0, 6],
      ],
    );
    assert.equal(batch.isEmpty(), true);
    batch.add([message(0, 7)], 5000);
    assert.equal(batch.isDue(5010), false, 'the linger restarts with the next record');
  });

  it('drops only the records of revoked partitions', () => {
    const batch = new PendingBatch(100, 50);
    batch.add([message(0, 1), message(1, 1), message(2, 1), message(1, 2)], 0);
    assert.equal(batch.dropPartitions(new Set([1])), 2);
    assert.deepEqual(
      batch.take().map((m) => m.partition),
      [0, 2],
    );
  });

  it('positions each partition after its highest offset in the batch', () => {
    const positions = nextPositions([message(0, 10), message(2, 4), message(0, 11), message(2, 3)]);
    assert.deepEqual([...positions].sort(), [
      [0, 12],
      [2, 5],
    ]);
  });
});
