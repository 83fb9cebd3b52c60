import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'node-rdkafka';
import { nextPositions, PendingBatch } from '../../workers/runtime/batch';
import type { BatchEntry } from '../../workers/runtime/batchInHand';

function message(partition: number, offset: number): Message {
  return { topic: 'auction', partition, offset, value: Buffer.from('x'), size: 1 };
}

function entries(...messages: Message[]): BatchEntry[] {
  return messages.map((m) => ({ message: m }));
}

describe('batch accumulation', () => {
  it('is due once it holds the maximum number of records', () => {
    const batch = new PendingBatch(3, 60_000);
    batch.add(entries(message(0, 0), message(0, 1)), 1000, false);
    assert.equal(batch.isDue(1000), false);
    assert.equal(batch.room(), 1);
    batch.add(entries(message(1, 0)), 1001, false);
    assert.equal(batch.isDue(1001), true);
    assert.equal(batch.room(), 0);
  });

  it('is due once its first record has waited the linger time, counted from that record', () => {
    const batch = new PendingBatch(100, 50);
    assert.equal(batch.isDue(0), false, 'an empty batch is never due');
    batch.add(entries(message(0, 0)), 1000, false);
    batch.add(entries(message(0, 1)), 1040, false);
    assert.equal(batch.isDue(1049), false);
    assert.equal(batch.isDue(1050), true);
  });

  it('is due at once when a consume call came back short, however young, since nothing more is buffered', () => {
    const batch = new PendingBatch(2000, 5000);
    batch.add(entries(message(0, 0)), 1000, true);
    assert.equal(batch.isDue(1000), true);
  });

  it('lingers while consume calls come back full, and is due once one comes back short, even empty', () => {
    const batch = new PendingBatch(2000, 5000);
    batch.add(entries(message(0, 0), message(0, 1)), 1000, false);
    assert.equal(batch.isDue(1001), false, 'records are still arriving');
    batch.add(entries(), 1002, true);
    assert.equal(batch.isDue(1002), true);
    batch.take();
    batch.add(entries(), 1003, true);
    assert.equal(batch.isDue(1003), false, 'an empty batch is never due');
    batch.add(entries(message(0, 2)), 1004, false);
    assert.equal(batch.isDue(1004), false, 'a new batch starts lingering again');
  });

  it('hands over records in consume order and starts a fresh linger afterwards', () => {
    const batch = new PendingBatch(100, 50);
    batch.add(entries(message(0, 5), message(1, 2), message(0, 6)), 1000, false);
    assert.deepEqual(
      batch.take().map(({ message: m }) => [m.partition, m.offset]),
      [
        [0, 5],
        [1, 2],
        [0, 6],
      ],
    );
    assert.equal(batch.isEmpty(), true);
    batch.add(entries(message(0, 7)), 5000, false);
    assert.equal(batch.isDue(5010), false, 'the linger restarts with the next record');
  });

  it('drops only the records of revoked partitions', () => {
    const batch = new PendingBatch(100, 50);
    batch.add(entries(message(0, 1), message(1, 1), message(2, 1), message(1, 2)), 0, false);
    assert.equal(batch.dropPartitions(new Set([1])), 2);
    assert.deepEqual(
      batch.take().map(({ message: m }) => m.partition),
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
