import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BidStream, sampleBid, streamBids } from '../support/bidStream';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { assertEveryBidStoredOnce, waitForStoreCount } from '../support/sinkCrashRecovery';
import { SinkWorkerProcess } from '../support/builtProgram';
import { startMysql, stopMysql } from '../support/stackControl';

describe('the MySQL sink worker while MySQL is down', () => {
  let topic: string;
  let database: TestDatabase;
  before(async () => {
    topic = await createTestTopic('mysql-outage', 3);
    database = await createTestDatabase();
  });
  after(async () => {
    await deleteTestTopic(topic);
    await database.drop();
  });

  it('waits with a "waiting for mysql" warning through a 20-second outage, then catches up with nothing lost or doubled', async () => {
    const stream = await BidStream.open();
    const worker = new SinkWorkerProcess('mysql', {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `outage-${randomUUID().slice(0, 8)}`,
      SINK_BACKOFF_MIN_MS: '200',
      SINK_BACKOFF_MAX_MS: '2000',
    });
    const produced = Array.from({ length: 6000 }, (_, i) => sampleBid(i));
    let mysqlStopped = false;
    try {
      await worker.waitForLog((line) => line.msg === 'partitions assigned');
      await stream.sendBids(topic, produced.slice(0, 1000));
      await waitForStoreCount(
        { worker: 'mysql', env: {}, countStored: () => countMysqlBids(database.pool), readStored: async () => [] },
        1000,
      );
      stopMysql();
      mysqlStopped = true;
      const outageStarted = Date.now();
      await streamBids(stream, topic, produced.slice(1000), 10, 500);
      const waiting = await worker.waitForLog((line) =>
        /^waiting for mysql: retry \d+ in \d+ ms$/.test(line.msg ?? ''),
      );
      assert.equal(waiting.level, 'warn');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20_000 - (Date.now() - outageStarted))));
      assert.equal(worker.hasExited, false, 'the worker waits, it does not give up');
      startMysql();
      mysqlStopped = false;
      const count = await waitForStoreCount(
        { worker: 'mysql', env: {}, countStored: () => countMysqlBids(database.pool), readStored: async () => [] },
        produced.length,
      );
      assert.equal(count, produced.length);
      assertEveryBidStoredOnce(produced, await readMysqlBids(database.pool));
      const retries = worker.lines.filter((line) => /^waiting for mysql/.test(line.msg ?? '')).length;
      assert.ok(retries >= 3, `retried ${retries} times with backoff`);
    } finally {
      if (mysqlStopped) startMysql();
      await worker.dispose();
      await stream.close();
    }
  });
});
