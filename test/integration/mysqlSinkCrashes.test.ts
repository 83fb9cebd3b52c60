import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { assertEveryBidStoredOnce, streamWhileKillingWorker, type SinkUnderTest } from '../support/sinkCrashRecovery';

describe('the MySQL sink worker survives being killed', () => {
  let topic: string;
  let database: TestDatabase;
  before(async () => {
    topic = await createTestTopic('mysql-crash', 3);
    database = await createTestDatabase();
  });
  after(async () => {
    await deleteTestTopic(topic);
    await database.drop();
  });

  it('stores every one of 20,000 bids exactly once, field for field, across four SIGKILLs mid-stream', async () => {
    const sink: SinkUnderTest = {
      worker: 'mysql',
      env: { MYSQL_URL: database.url },
      countStored: () => countMysqlBids(database.pool),
      readStored: () => readMysqlBids(database.pool),
    };
    const run = await streamWhileKillingWorker(sink, topic, { bidCount: 20_000, kills: 4 });
    assertEveryBidStoredOnce(run.produced, run.stored);
    const [offsets] = await database.pool.query('SELECT SUM(next_offset) AS total FROM sink_offsets');
    assert.equal(Number((offsets as { total: string }[])[0]!.total), 20_000, 'stored positions cover every record');
  });
});
