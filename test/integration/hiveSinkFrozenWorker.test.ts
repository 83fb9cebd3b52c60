import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { assertEveryBidStoredOnce, waitForStoreCount } from '../support/sinkCrashRecovery';
import { currentPartitions, ownsPartitions, sleep } from '../support/workerLog';
import { refuseTransientlyForPartitions } from '../support/hiveFaults';

describe('two Hive workers in one group, one of them frozen', { timeout: 240_000 }, () => {
  let topic: string;
  let table: TestHiveTable;
  before(async () => {
    topic = await createTestTopic('hive-frozen', 4);
    table = await createTestHiveTable('hive_frozen');
  });
  after(async () => {
    await deleteTestTopic(topic);
    await table.drop();
  });

  it('a worker frozen (SIGSTOP) past its session and then resumed writes nothing its partitions’ new owner wrote', async () => {
    const env = {
      HIVE_TABLE: table.name,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `frozen-${randomUUID().slice(0, 8)}`,
      SINK_SESSION_TIMEOUT_MS: '6000',
    };
    const stream = await BidStream.open();
    const frozen = new SinkWorkerProcess('hive', env);
    const other = new SinkWorkerProcess('hive', env);
    // Forty lots, so every partition gets bids.
    const produced = Array.from({ length: 2000 }, (_, i) => sampleBid(i, { item: `Lot ${i % 40}` }));
    const sink = { worker: 'hive', env: {}, countStored: () => table.count(), readStored: () => table.readBids() };
    let stopped = false;
    try {
      await frozen.waitForLog((line) => ownsPartitions(line), 60_000);
      await other.waitForLog((line) => ownsPartitions(line), 60_000);
      // A batch is written as soon as nothing more is buffered, so the frozen
      // worker is made sure to hold one it has not written: its partitions'
      // INSERTs are refused as transient until it is frozen, and it backs off
      // with its batch in hand.
      const fault = await refuseTransientlyForPartitions(table, currentPartitions(frozen.lines));
      try {
        await stream.sendBids(topic, produced);
        await frozen.waitForLog((line) => /^waiting for /.test(line.msg ?? ''), 60_000);
        process.kill(frozen.pid!, 'SIGSTOP');
        stopped = true;
      } finally {
        await fault.remove();
      }
      // The group hands the frozen worker's partitions to the other, which writes every bid.
      await other.waitForLog((line) => ownsPartitions(line, 4), 60_000);
      assert.equal(await waitForStoreCount(sink, produced.length), produced.length);
      process.kill(frozen.pid!, 'SIGCONT');
      stopped = false;
      // Time for the resumed worker's lingering batch to come due, and be written if it were going to be.
      await sleep(12_000);
      assertEveryBidStoredOnce(produced, await table.readBids());
      assert.equal(frozen.hasExited, false, 'the resumed worker goes on as a member of the group');
      assert.ok(
        frozen.lines.some((line) =>
          /may have moved|confirms this worker still owns|revoked before written/.test(line.msg ?? ''),
        ),
        'the resumed worker said it held its batch back',
      );
    } finally {
      if (stopped) process.kill(frozen.pid!, 'SIGCONT');
      await frozen.dispose();
      await other.dispose();
      await stream.close();
    }
  });
});
