import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bidSchema, type Bid } from '../../lib/bid/bid';
import { writeWireFrame } from '../../lib/registry/wireFormat';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { readCsvBids, readCsvRows } from '../support/csvBids';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { headerOf, readTopic } from '../support/readTopic';
import { TestSubjects } from '../support/registrySubjects';
import {
  assertEveryBidStoredOnce,
  waitForStoreCount,
  type SinkUnderTest,
  startSinkWorkers,
} from '../support/sinkCrashRecovery';

describe('sink workers facing registry faults', { timeout: 240_000 }, () => {
  const subjects = new TestSubjects();
  const folder = mkdtempSync(path.join(tmpdir(), 'registry-faults-'));
  let topic: string;
  let deadLetterTopic: string;
  let database: TestDatabase;
  let table: TestHiveTable;
  before(async () => {
    // The test's bids go under a subject of their own, so this file never registers anything under auction-value.
    process.env.SCHEMA_REGISTRY_SUBJECT = subjects.fresh('registry-faults-bids');
    topic = await createTestTopic('registry-faults', 1);
    deadLetterTopic = await createTestTopic('registry-faults-parked', 1);
    database = await createTestDatabase();
    table = await createTestHiveTable('hive_registry_faults');
  });
  after(async () => {
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    await database.drop();
    await table.drop();
    await subjects.remove();
    rmSync(folder, { recursive: true, force: true });
  });

  it('each of the MySQL, CSV and Hive workers dead-letters a version of the bid it cannot compile (unusable-schema) and a record of another subject (foreign-schema), and stores every good bid', async () => {
    const bidSubject = process.env.SCHEMA_REGISTRY_SUBJECT!;
    const valid = Array.from({ length: 6 }, (_, i) => sampleBid(i));
    const stream = await BidStream.open();
    try {
      // Kafka Connect's JSON converter writes schemas with `connect.*` keywords, which a strict ajv refuses;
      // registered as a later version of the bid (compatibility is not what this test is about).
      const connectSchemaId = await subjects.withoutCompatibilityCheck(bidSubject, () =>
        subjects.registerUnder(bidSubject, {
          ...bidSchema,
          properties: {
            ...(bidSchema.properties as Record<string, Record<string, unknown>>),
            price: { type: 'integer', 'connect.index': 3, 'connect.type': 'int64' },
          },
        }),
      );
      // A schema of another subject whose records look exactly like bids.
      const foreignSchemaId = await subjects.register('lot-valuation-value', { ...bidSchema, title: 'Lot valuation' });
      const unusable = writeWireFrame(connectSchemaId, Buffer.from(JSON.stringify(sampleBid(50)), 'utf8'));
      const foreign = writeWireFrame(foreignSchemaId, Buffer.from(JSON.stringify(sampleBid(51)), 'utf8'));
      await stream.sendBids(topic, valid.slice(0, 3));
      await stream.sendRaw({ topic, key: 'connect-record', value: unusable });
      await stream.sendRaw({ topic, key: 'valuation-record', value: foreign });
      await stream.sendBids(topic, valid.slice(3));
      await checkWorkers(valid, { unusable, foreign });
    } finally {
      await stream.close();
    }
  });

  async function checkWorkers(
    valid: readonly Bid[],
    parkedValues: { unusable: Buffer; foreign: Buffer },
  ): Promise<void> {
    const sinks: SinkUnderTest[] = [
      {
        worker: 'mysql',
        env: { MYSQL_URL: database.url },
        countStored: () => countMysqlBids(database.pool),
        readStored: () => readMysqlBids(database.pool),
      },
      {
        worker: 'csv',
        env: { CSV_PATH: path.join(folder, 'bids.csv') },
        countStored: async () => readCsvRows(path.join(folder, 'bids.csv')).length,
        readStored: async () => readCsvBids(path.join(folder, 'bids.csv')),
      },
      {
        worker: 'hive',
        env: { HIVE_TABLE: table.name, SINK_BATCH_LINGER_MS: '200' },
        countStored: () => table.count(),
        readStored: () => table.readBids(),
      },
    ];
    const workers = startSinkWorkers(sinks, { topic, deadLetterTopic }, 'registry-faults');
    try {
      for (const sink of sinks) {
        assert.equal(await waitForStoreCount(sink, valid.length), valid.length, `${sink.worker}: every good bid`);
        assertEveryBidStoredOnce(valid, await sink.readStored());
      }
      const parked = await readTopic(deadLetterTopic, sinks.length * 2, 30_000);
      for (const sink of sinks) {
        const letters = parked.filter((m) => headerOf(m, 'dlq.sink') === sink.worker);
        assert.deepEqual(
          letters.map((letter) => headerOf(letter, 'dlq.reason')).sort(),
          ['foreign-schema', 'unusable-schema'],
          `${sink.worker}: two dead letters`,
        );
        const unusable = letters.find((letter) => headerOf(letter, 'dlq.reason') === 'unusable-schema');
        const foreign = letters.find((letter) => headerOf(letter, 'dlq.reason') === 'foreign-schema');
        assert.match(headerOf(unusable!, 'dlq.detail') ?? '', /connect\.index/);
        assert.deepEqual(unusable!.value, parkedValues.unusable, 'original bytes kept');
        assert.match(
          headerOf(foreign!, 'dlq.detail') ?? '',
          /is registered under lot-valuation-value-\w+, not as a version of /,
        );
        assert.deepEqual(foreign!.value, parkedValues.foreign, 'original bytes kept');
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.dispose()));
    }
  }

  it('a worker whose SCHEMA_REGISTRY_URL has a wrong path refuses to start with one line naming it, and parks nothing', async () => {
    const wrongTopic = await createTestTopic('registry-wrong-url', 1);
    const wrongParked = await createTestTopic('registry-wrong-url-parked', 1);
    const stream = await BidStream.open();
    try {
      await stream.sendBids(wrongTopic, [sampleBid(1), sampleBid(2)]);
      await stream.close();
      const worker = new SinkWorkerProcess('csv', {
        CSV_PATH: path.join(folder, 'wrong-url.csv'),
        KAFKA_TOPIC: wrongTopic,
        KAFKA_DLQ_TOPIC: wrongParked,
        SINK_CONSUMER_GROUP: `registry-wrong-url-${randomUUID().slice(0, 8)}`,
        SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/wrong/path',
      });
      try {
        const exit = await worker.exit(60_000);
        assert.equal(exit.code, 1);
        const errorLines = worker.stderr
          .join('')
          .split('\n')
          .filter((line) => line.trim() !== '');
        assert.equal(errorLines.length, 1, errorLines.join('\n'));
        assert.match(errorLines[0]!, /^csv-sink: configuration error: SCHEMA_REGISTRY_URL /);
        assert.match(errorLines[0]!, /wrong\/path/);
      } finally {
        await worker.dispose();
      }
      assert.deepEqual(await readTopic(wrongParked, 1, 5_000), [], 'nothing dead-lettered');
    } finally {
      await deleteTestTopic(wrongTopic);
      await deleteTestTopic(wrongParked);
    }
  });
});
