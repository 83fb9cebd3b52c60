import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { loseConnectionOnceWhenStoring, type PlantedFault } from '../support/hiveFaults';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { assertEveryBidStoredOnce } from '../support/sinkCrashRecovery';

describe('the Hive sink worker without transactions, retrying a batch', { timeout: 120_000 }, () => {
  let topic: string;
  let table: TestHiveTable;
  let fault: PlantedFault;
  before(async () => {
    topic = await createTestTopic('hive-retry', 1);
    table = await createTestHiveTable('hive_retry');
  });
  after(async () => {
    await fault?.remove();
    await deleteTestTopic(topic);
    await table.drop();
  });

  it('stores every bid once when the connection is lost in the middle of a batch', async () => {
    const bids = Array.from({ length: 40 }, (_, i) => sampleBid(i));
    const stream = await BidStream.open();
    try {
      await stream.sendBids(topic, bids);
    } finally {
      await stream.close();
    }
    // Five bids a statement: offsets 0–19 are stored by four statements before the fifth loses its connection.
    fault = await loseConnectionOnceWhenStoring(table, 0, 22);
    const worker = new SinkWorkerProcess('hive', {
      HIVE_TABLE: table.name,
      HIVE_TRANSACTIONS: 'off',
      HIVE_ROWS_PER_INSERT: '5',
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `hive-retry-${randomUUID().slice(0, 8)}`,
      SINK_BATCH_LINGER_MS: '1000',
      SINK_BACKOFF_MIN_MS: '100',
      SINK_BACKOFF_MAX_MS: '500',
    });
    try {
      await worker.waitForLog((line) => line.msg?.startsWith('waiting for hive') === true, 60_000);
      await worker.waitForLog((line) => line.msg === 'batch written', 30_000);
      const { code } = await worker.stop();
      assert.equal(code, 0, worker.stderr.join(''));
    } finally {
      await worker.dispose();
    }
    assert.equal(
      await fault.tries(),
      2,
      'the bid at offset 22 cost the first attempt its connection and was stored by the retry',
    );
    const written = worker.lines.filter((line) => line.msg === 'batch written');
    assert.deepEqual(
      written.map((line) => line.records),
      [40],
      'all forty bids were one batch, so four of its statements had run before the failure',
    );
    assertEveryBidStoredOnce(bids, await table.readBids());
  });
});
