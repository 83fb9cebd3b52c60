import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { writeWireFrame } from '../../lib/registry/wireFormat';
import { BidStream, sampleBid } from '../support/bidStream';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { headerOf, readTopic } from '../support/readTopic';
import { assertEveryBidStoredOnce, waitForStoreCount } from '../support/sinkCrashRecovery';
import { SinkWorkerProcess } from '../support/builtProgram';

describe('the MySQL sink worker with records it cannot store', () => {
  let topic: string;
  let deadLetterTopic: string;
  let database: TestDatabase;
  let stream: BidStream;
  before(async () => {
    topic = await createTestTopic('mysql-dlq', 1);
    deadLetterTopic = await createTestTopic('mysql-dlq-parked', 1);
    database = await createTestDatabase();
    stream = await BidStream.open();
  });
  after(async () => {
    await stream.close();
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    await database.drop();
  });

  it('parks each undecodable record in the dead-letter topic with its reason and original bytes, and stores the valid bids around them', async () => {
    const schemaId = stream.codec.registeredSchemaId;
    const valid = Array.from({ length: 10 }, (_, i) => sampleBid(i));
    const broken = [
      { reason: 'not-wire-format', key: 'bad-magic', value: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x7d]) },
      { reason: 'unknown-schema-id', key: 'unknown-id', value: writeWireFrame(987_654_321, Buffer.from('{}')) },
      { reason: 'invalid-json', key: 'broken-json', value: writeWireFrame(schemaId, Buffer.from('{"bid_id": ')) },
      {
        reason: 'schema-violation',
        key: 'no-price',
        value: writeWireFrame(schemaId, Buffer.from(JSON.stringify({ ...sampleBid(99), price: -5 }))),
      },
    ];
    // valid, broken, valid, broken…: the dead letters sit between bids that must all arrive.
    for (let i = 0; i < valid.length; i++) {
      await stream.sendBids(topic, [valid[i]!]);
      const bad = broken[i];
      if (bad) await stream.sendRaw({ topic, key: bad.key, value: bad.value });
    }
    const worker = new SinkWorkerProcess('mysql', {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: deadLetterTopic,
      SINK_CONSUMER_GROUP: `dlq-${randomUUID().slice(0, 8)}`,
    });
    try {
      await waitForStoreCount(
        { worker: 'mysql', env: {}, countStored: () => countMysqlBids(database.pool), readStored: async () => [] },
        valid.length,
      );
      const parked = await readTopic(deadLetterTopic, broken.length, 20_000);
      assert.equal(parked.length, broken.length);
      for (const expected of broken) {
        const letter = parked.find((m) => m.key?.toString() === expected.key);
        assert.ok(letter, `dead letter for ${expected.key}`);
        assert.deepEqual(letter.value, expected.value, 'original bytes kept');
        assert.equal(headerOf(letter, 'dlq.reason'), expected.reason);
        assert.ok((headerOf(letter, 'dlq.detail') ?? '').length > 0);
        assert.equal(headerOf(letter, 'dlq.source.topic'), topic);
        assert.equal(headerOf(letter, 'dlq.source.partition'), '0');
        assert.match(headerOf(letter, 'dlq.source.offset') ?? '', /^\d+$/);
        assert.equal(headerOf(letter, 'dlq.sink'), 'mysql');
      }
      assertEveryBidStoredOnce(valid, await readMysqlBids(database.pool));
      const [offsets] = await database.pool.query('SELECT next_offset FROM sink_offsets');
      assert.deepEqual(offsets, [{ next_offset: valid.length + broken.length }], 'the position moved past them');
    } finally {
      await worker.dispose();
    }
  });

  it('stores names that look like formulas or SQL exactly as typed', async () => {
    const awkward = [
      sampleBid(1, { name: '=HYPERLINK("http://x","y")' }),
      sampleBid(2, { name: "Robert'); DROP TABLE bids;--" }),
      sampleBid(3, { name: '\\\\ back\\slash % _ `tick`', item: 'Lot 7 -- \'quoted\' "double"' }),
    ];
    await database.pool.query('DELETE FROM bids');
    const namesTopic = await createTestTopic('mysql-names', 1);
    const worker = new SinkWorkerProcess('mysql', {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: namesTopic,
      SINK_CONSUMER_GROUP: `names-${randomUUID().slice(0, 8)}`,
    });
    try {
      await stream.sendBids(namesTopic, awkward);
      await waitForStoreCount(
        { worker: 'mysql', env: {}, countStored: () => countMysqlBids(database.pool), readStored: async () => [] },
        awkward.length,
      );
      assertEveryBidStoredOnce(awkward, await readMysqlBids(database.pool));
    } finally {
      await worker.dispose();
      await deleteTestTopic(namesTopic);
    }
  });
});
