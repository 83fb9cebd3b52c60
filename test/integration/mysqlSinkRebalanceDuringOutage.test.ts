import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BidStream, sampleBid, streamBids } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { assertEveryBidStoredOnce, waitForStoreCount } from '../support/sinkCrashRecovery';
import { startMysql, stopMysql } from '../support/stackControl';
import { currentPartitions, ownsPartitions } from '../support/workerLog';

describe('two MySQL workers when MySQL goes down and one of them stops', { timeout: 240_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  before(async () => {
    topic = await createTestTopic('mysql-rebalance-outage', 4);
    database = await createTestDatabase();
  });
  after(async () => {
    await deleteTestTopic(topic);
    await database.drop();
  });

  it('the remaining worker resumes every partition once MySQL is back, including those it had paused, and every bid arrives', async () => {
    const env = {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `rebalance-outage-${randomUUID().slice(0, 8)}`,
      SINK_SESSION_TIMEOUT_MS: '6000',
      SINK_BACKOFF_MIN_MS: '200',
      SINK_BACKOFF_MAX_MS: '1000',
    };
    const sink = {
      worker: 'mysql',
      env: {},
      countStored: () => countMysqlBids(database.pool),
      readStored: () => readMysqlBids(database.pool),
    };
    const stream = await BidStream.open();
    const remaining = new SinkWorkerProcess('mysql', env);
    const leaving = new SinkWorkerProcess('mysql', env);
    const produced = Array.from({ length: 4000 }, (_, i) => sampleBid(i));
    let mysqlStopped = false;
    try {
      await remaining.waitForLog((line) => ownsPartitions(line), 60_000);
      await leaving.waitForLog((line) => ownsPartitions(line), 60_000);
      await stream.sendBids(topic, produced.slice(0, 1000));
      await waitForStoreCount(sink, 1000);
      assert.ok(currentPartitions(remaining.lines).length < 4, 'the partitions are shared before the outage');

      stopMysql();
      mysqlStopped = true;
      await streamBids(stream, topic, produced.slice(1000), 10, 300);
      const waiting = (line: { msg?: string }): boolean => /^waiting for mysql/.test(line.msg ?? '');
      await remaining.waitForLog(waiting, 60_000);
      await leaving.waitForLog(waiting, 60_000);

      const leavingPartitions = currentPartitions(leaving.lines);
      assert.ok(leavingPartitions.length > 0, 'the leaving worker owns partitions');
      const { code } = await leaving.stop();
      assert.equal(code, 0, leaving.stderr.join(''));
      // The group hands the leaving worker's partitions over while MySQL is still down: the remaining worker can
      // only take them once MySQL says where they resume.
      await remaining.waitForLog(
        (line) =>
          line.msg === 'partitions handed over; opening them' &&
          Array.isArray(line.partitions) &&
          leavingPartitions.every((partition) => (line.partitions as number[]).includes(partition)),
        60_000,
      );

      startMysql();
      mysqlStopped = false;
      await remaining.waitForLog((line) => ownsPartitions(line, 4), 60_000);
      await waitForStoreCount(sink, produced.length);
      assertEveryBidStoredOnce(produced, await readMysqlBids(database.pool));
      assert.equal(remaining.hasExited, false);
    } finally {
      if (mysqlStopped) startMysql();
      await remaining.dispose();
      await leaving.dispose();
      await stream.close();
    }
  });
});
