import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeWireFrame } from '../../lib/registry/wireFormat';
import { BidStream, sampleBid } from '../support/bidStream';
import { readCsvBids, readCsvRows } from '../support/csvBids';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { headerOf, readTopic } from '../support/readTopic';
import {
  assertEveryBidStoredOnce,
  waitForStoreCount,
  type SinkUnderTest,
  startSinkWorkers,
} from '../support/sinkCrashRecovery';

describe('the CSV and Hive sink workers with records they cannot store', { timeout: 180_000 }, () => {
  let topic: string;
  let deadLetterTopic: string;
  let table: TestHiveTable;
  const folder = mkdtempSync(path.join(tmpdir(), 'dlq-csv-'));
  const csvPath = path.join(folder, 'bids.csv');
  before(async () => {
    topic = await createTestTopic('sinks-dlq', 1);
    deadLetterTopic = await createTestTopic('sinks-dlq-parked', 1);
    table = await createTestHiveTable('hive_dlq');
  });
  after(async () => {
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    await table.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('each parks every undecodable record with its reason and stores every valid bid around them once', async () => {
    const stream = await BidStream.open();
    const schemaId = stream.codec.registeredSchemaId;
    const valid = Array.from({ length: 10 }, (_, i) =>
      sampleBid(
        i,
        i === 3 ? { name: '=HYPERLINK("http://x","y")' } : i === 6 ? { name: "Robert'); DROP TABLE bids;--" } : {},
      ),
    );
    const broken = [
      { reason: 'not-wire-format', key: 'bad-magic', value: Buffer.from('{"item":"lamp"}') },
      { reason: 'unknown-schema-id', key: 'unknown-id', value: writeWireFrame(987_654_321, Buffer.from('{}')) },
      { reason: 'invalid-json', key: 'broken-json', value: writeWireFrame(schemaId, Buffer.from('{"bid_id": ')) },
      {
        reason: 'schema-violation',
        key: 'zero-price',
        value: writeWireFrame(schemaId, Buffer.from(JSON.stringify({ ...sampleBid(99), price: 0 }))),
      },
    ];
    try {
      for (let i = 0; i < valid.length; i++) {
        await stream.sendBids(topic, [valid[i]!]);
        const bad = broken[i];
        if (bad) await stream.sendRaw({ topic, key: bad.key, value: bad.value });
      }
    } finally {
      await stream.close();
    }

    const sinks: SinkUnderTest[] = [
      {
        worker: 'csv',
        env: { CSV_PATH: csvPath },
        countStored: async () => readCsvRows(csvPath).length,
        readStored: async () => readCsvBids(csvPath),
      },
      {
        worker: 'hive',
        env: { HIVE_TABLE: table.name, SINK_BATCH_LINGER_MS: '200' },
        countStored: () => table.count(),
        readStored: () => table.readBids(),
      },
    ];
    const workers = startSinkWorkers(sinks, { topic, deadLetterTopic }, 'dlq');
    try {
      for (const sink of sinks) {
        await waitForStoreCount(sink, valid.length);
        assertEveryBidStoredOnce(valid, await sink.readStored());
      }
      const parked = await readTopic(deadLetterTopic, broken.length * sinks.length, 30_000);
      for (const sink of sinks) {
        const letters = parked.filter((m) => headerOf(m, 'dlq.sink') === sink.worker);
        assert.equal(letters.length, broken.length, `${sink.worker}: one dead letter per broken record`);
        for (const expected of broken) {
          const letter = letters.find((m) => m.key?.toString() === expected.key);
          assert.ok(letter, `${sink.worker}: dead letter for ${expected.key}`);
          assert.deepEqual(letter.value, expected.value, 'original bytes kept');
          assert.equal(headerOf(letter, 'dlq.reason'), expected.reason);
          assert.equal(headerOf(letter, 'dlq.source.topic'), topic);
        }
      }
      const formulaRow = readCsvRows(csvPath).find((row) => row.bid_id === valid[3]!.bid_id);
      assert.equal(formulaRow?.name, '\'=HYPERLINK("http://x","y")', 'the CSV cell cannot run as a formula');
    } finally {
      await Promise.all(workers.map((worker) => worker.dispose()));
    }
  });
});
