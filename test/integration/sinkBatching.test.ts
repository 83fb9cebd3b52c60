import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess, type LogLine } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { waitFor } from '../support/service';

/** The record count of every `batch written` line the worker logged so far. */
function writtenBatches(lines: readonly LogLine[]): number[] {
  return lines.filter((line) => line.msg === 'batch written').map((line) => Number(line.records));
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The batching rule, told by the worker's own `batch written` lines (counts,
 * never timings): a batch is written as soon as the consumer has nothing more
 * buffered, and lingers only while records keep arriving.
 */
describe('the sink batching rule', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let stream: BidStream;
  const topics: string[] = [];
  before(async () => {
    database = await createTestDatabase('batching');
    stream = await BidStream.open();
  });
  after(async () => {
    await stream.close();
    await database.drop();
    for (const topic of topics) await deleteTestTopic(topic);
  });

  async function freshTopic(): Promise<string> {
    const topic = await createTestTopic('batching', 3);
    topics.push(topic);
    return topic;
  }

  it('writes each bid of a trickle in its own batch, without waiting for the linger', async () => {
    const topic = await freshTopic();
    await database.pool.query('DELETE FROM bids');
    const worker = new SinkWorkerProcess('mysql', {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `batching-trickle-${randomUUID().slice(0, 8)}`,
      // Ten bids 300 ms apart all fall inside one linger: only the rule can cut them apart.
      SINK_BATCH_LINGER_MS: '5000',
    });
    try {
      await worker.waitForLog(
        (line) => line.msg === 'partitions assigned' && Array.isArray(line.assigned) && line.assigned.length === 3,
      );
      const bids = Array.from({ length: 10 }, (_, i) => sampleBid(i));
      for (const bid of bids) {
        await stream.sendBids(topic, [bid]);
        await pause(300);
      }
      await waitFor('the ten bids in MySQL', async () =>
        (await countMysqlBids(database.pool)) === 10 ? true : undefined,
      );
      assert.deepEqual(
        writtenBatches(worker.lines),
        Array.from({ length: 10 }, () => 1),
        'each bid of the trickle is a batch of its own',
      );
      const exit = await worker.stop();
      assert.equal(exit.code, 0);
    } finally {
      await worker.dispose();
    }
  });

  it('writes a burst in large batches, most of them full', async (t) => {
    const topic = await freshTopic();
    await database.pool.query('DELETE FROM bids');
    const total = 20_000;
    const maxRecords = 2_000;
    await stream.sendBids(
      topic,
      Array.from({ length: total }, (_, i) => sampleBid(i)),
    );
    const worker = new SinkWorkerProcess('mysql', {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `batching-burst-${randomUUID().slice(0, 8)}`,
      SINK_BATCH_MAX_RECORDS: String(maxRecords),
      SINK_BATCH_LINGER_MS: '5000',
    });
    try {
      await waitFor(
        'the burst in MySQL',
        async () => ((await countMysqlBids(database.pool)) === total ? true : undefined),
        120_000,
      );
      const batches = writtenBatches(worker.lines);
      t.diagnostic(`batches: ${batches.join(', ')}`);
      assert.equal(
        batches.reduce((sum, records) => sum + records, 0),
        total,
      );
      assert.ok(batches.length < total / 1000, `${batches.length} batches for ${total} bids: ${batches.join(', ')}`);
      const full = batches.filter((records) => records === maxRecords).length;
      assert.ok(full > batches.length / 2, `only ${full} of ${batches.length} batches full: ${batches.join(', ')}`);
      const exit = await worker.stop();
      assert.equal(exit.code, 0);
    } finally {
      await worker.dispose();
    }
  });
});
