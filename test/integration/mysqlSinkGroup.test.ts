import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BidStream, sampleBid, streamBids } from '../support/bidStream';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { assertEveryBidStoredOnce, waitForStoreCount } from '../support/sinkCrashRecovery';
import { SinkWorkerProcess } from '../support/builtProgram';
import { currentPartitions } from '../support/workerLog';

function assignedPartitions(worker: SinkWorkerProcess): number[] {
  return currentPartitions(worker.lines);
}

describe('MySQL sink workers in one consumer group', () => {
  let database: TestDatabase;
  let stream: BidStream;
  before(async () => {
    database = await createTestDatabase();
    stream = await BidStream.open();
  });
  after(async () => {
    await stream.close();
    await database.drop();
  });

  const sink = () => ({
    worker: 'mysql',
    env: {},
    countStored: () => countMysqlBids(database.pool),
    readStored: () => readMysqlBids(database.pool),
  });

  it('share the partitions between two instances, which together write every bid once', async () => {
    await database.pool.query('DELETE FROM bids');
    const topic = await createTestTopic('mysql-group', 4);
    const env = {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `group-${randomUUID().slice(0, 8)}`,
      SINK_SESSION_TIMEOUT_MS: '6000',
    };
    const first = new SinkWorkerProcess('mysql', env);
    const second = new SinkWorkerProcess('mysql', env);
    try {
      const produced = Array.from({ length: 8000 }, (_, i) => sampleBid(i));
      await streamBids(stream, topic, produced, 20, 400);
      await waitForStoreCount(sink(), produced.length);
      const firstPartitions = assignedPartitions(first);
      const secondPartitions = assignedPartitions(second);
      assert.ok(firstPartitions.length > 0, 'the first instance owns partitions');
      assert.ok(secondPartitions.length > 0, 'the second instance owns partitions');
      assert.deepEqual([...firstPartitions, ...secondPartitions].sort(), [0, 1, 2, 3]);
      const written = (worker: SinkWorkerProcess): number =>
        worker.lines
          .filter((line) => line.msg === 'batch written')
          .reduce((sum, line) => sum + Number(line.records), 0);
      assert.ok(written(first) > 0 && written(second) > 0, 'both instances wrote bids');
      assertEveryBidStoredOnce(produced, await readMysqlBids(database.pool));
    } finally {
      await first.dispose();
      await second.dispose();
      await deleteTestTopic(topic);
    }
  });

  it('exits 0 promptly on SIGTERM mid-stream and loses nothing once restarted', async () => {
    await database.pool.query('DELETE FROM bids');
    const topic = await createTestTopic('mysql-sigterm', 3);
    const env = {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `sigterm-${randomUUID().slice(0, 8)}`,
      SINK_SESSION_TIMEOUT_MS: '6000',
    };
    const produced = Array.from({ length: 10_000 }, (_, i) => sampleBid(i));
    const workers: SinkWorkerProcess[] = [];
    try {
      const producing = streamBids(stream, topic, produced, 20, 300);
      const first = new SinkWorkerProcess('mysql', env);
      workers.push(first);
      await first.waitForLog((line) => line.msg === 'batch written', 60_000);
      const stored = await countMysqlBids(database.pool);
      first.kill('SIGTERM');
      const stopStarted = Date.now();
      const { code } = await first.exit(15_000);
      const stopMs = Date.now() - stopStarted;
      assert.equal(code, 0, first.stderr.join(''));
      assert.ok(stopMs < 5_000, `stopped in ${stopMs} ms`);
      assert.ok(stored < produced.length, 'the worker was stopped mid-stream');
      await producing;
      const second = new SinkWorkerProcess('mysql', env);
      workers.push(second);
      await waitForStoreCount(sink(), produced.length);
      assertEveryBidStoredOnce(produced, await readMysqlBids(database.pool));
    } finally {
      for (const worker of workers) await worker.dispose();
      await deleteTestTopic(topic);
    }
  });
});
