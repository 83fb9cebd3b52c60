import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic, recreateTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { assertEveryBidStoredOnce, waitForStoreCount } from '../support/sinkCrashRecovery';

describe('the topic deleted and recreated under a running MySQL sink', { timeout: 240_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  before(async () => {
    topic = await createTestTopic('recreated', 2);
    database = await createTestDatabase();
  });
  after(async () => {
    await deleteTestTopic(topic);
    await database.drop();
  });

  it('stops with one line naming the partition, the positions and the reset command; after sink:reset every new bid arrives once', async () => {
    const env = {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `recreated-${randomUUID().slice(0, 8)}`,
      SINK_SESSION_TIMEOUT_MS: '6000',
    };
    const sink = {
      worker: 'mysql',
      env: {},
      countStored: () => countMysqlBids(database.pool),
      readStored: () => readMysqlBids(database.pool),
    };
    const before = Array.from({ length: 600 }, (_, i) => sampleBid(i, { item: `Lot ${i % 20}` }));
    const after = Array.from({ length: 100 }, (_, i) => sampleBid(1000 + i, { item: `Lot ${i % 20}` }));
    const stream = await BidStream.open();
    const workers: SinkWorkerProcess[] = [];
    try {
      const first = new SinkWorkerProcess('mysql', env);
      workers.push(first);
      await stream.sendBids(topic, before);
      await waitForStoreCount(sink, before.length);

      await recreateTestTopic(topic, 2);
      await stream.sendBids(topic, after);
      const { code } = await first.exit(90_000);
      assert.equal(code, 1, 'the worker stops rather than skip or repeat');
      const lines = first.stderr
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '');
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /stored position \d+ for .* partition \d+, but the partition ends at \d+/);
      assert.match(lines[0]!, /npm run sink:reset -- --sink mysql --to earliest/);
      assert.equal(await countMysqlBids(database.pool), before.length, 'nothing written after the topic changed');

      const reset = spawnSync(
        process.execPath,
        [fromRoot('dist', 'scripts', 'sinkReset.js'), '--sink', 'mysql', '--to', 'earliest'],
        { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
      );
      assert.equal(reset.status, 0, reset.stderr);

      const second = new SinkWorkerProcess('mysql', env);
      workers.push(second);
      await waitForStoreCount(sink, before.length + after.length);
      assertEveryBidStoredOnce([...before, ...after], await readMysqlBids(database.pool));
    } finally {
      for (const worker of workers) await worker.dispose();
      await stream.close();
    }
  });
});
