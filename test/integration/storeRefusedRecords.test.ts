import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { tableDdl } from '../../workers/hive/hiveDdl';
import { BidStream, sampleBid } from '../support/bidStream';
import { readCsvBids, readCsvRows } from '../support/csvBids';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { bidOf, headerOf, readTopic } from '../support/readTopic';
import {
  assertEveryBidStoredOnce,
  waitForStoreCount,
  type SinkUnderTest,
  startSinkWorkers,
} from '../support/sinkCrashRecovery';

/**
 * Records that are valid bids but that a store refuses as data: a value one
 * store's own constraint forbids (a CHECK an operator added), and text no
 * UTF-8 store can hold unaltered (a lone surrogate, which JSON can carry).
 */
describe('records a store refuses as data, amid 1,000 good bids', { timeout: 240_000 }, () => {
  let topic: string;
  let deadLetterTopic: string;
  let database: TestDatabase;
  let table: TestHiveTable;
  const folder = mkdtempSync(path.join(tmpdir(), 'refused-csv-'));
  const csvPath = path.join(folder, 'bids.csv');
  before(async () => {
    topic = await createTestTopic('store-refused', 3);
    deadLetterTopic = await createTestTopic('store-refused-dlq', 1);
    database = await createTestDatabase();
    await database.pool.query("ALTER TABLE bids ADD CONSTRAINT bids_refuse_name CHECK (name <> 'Refused by MySQL')");
    table = await createTestHiveTable('hive_refused');
    for (const statement of tableDdl('postgresql', table.name)) await table.connection.query(statement);
    await table.connection.query(
      `ALTER TABLE ${table.name} ADD CONSTRAINT ${table.name}_refuse_name CHECK (name <> 'Refused by Hive')`,
    );
  });
  after(async () => {
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    await database.drop();
    await table.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('each store dead-letters exactly what it refuses, writes every other bid once, and holds nothing altered', async () => {
    const good = Array.from({ length: 1000 }, (_, i) => sampleBid(i));
    const refusedByMysql = sampleBid(1001, { name: 'Refused by MySQL' });
    const refusedByHive = sampleBid(1002, { name: 'Refused by Hive' });
    const loneSurrogate = sampleBid(1003, { name: 'Ada \ud800 Lovelace' });
    const all = [
      ...good.slice(0, 300),
      refusedByMysql,
      ...good.slice(300, 600),
      loneSurrogate,
      refusedByHive,
      ...good.slice(600),
    ];
    const stream = await BidStream.open();
    try {
      await stream.sendBids(topic, all);
    } finally {
      await stream.close();
    }
    const without = (...refused: Bid[]): Bid[] => all.filter((bid) => !refused.includes(bid));
    const cases: { sink: SinkUnderTest; stored: Bid[]; refused: Bid[] }[] = [
      {
        sink: {
          worker: 'mysql',
          env: { MYSQL_URL: database.url },
          countStored: () => countMysqlBids(database.pool),
          readStored: () => readMysqlBids(database.pool),
        },
        stored: without(refusedByMysql, loneSurrogate),
        refused: [refusedByMysql, loneSurrogate],
      },
      {
        sink: {
          worker: 'csv',
          env: { CSV_PATH: csvPath },
          countStored: async () => readCsvRows(csvPath).length,
          readStored: async () => readCsvBids(csvPath),
        },
        stored: without(loneSurrogate),
        refused: [loneSurrogate],
      },
      {
        sink: {
          worker: 'hive',
          env: { HIVE_TABLE: table.name, SINK_BATCH_LINGER_MS: '200' },
          countStored: () => table.count(),
          readStored: () => table.readBids(),
        },
        stored: without(refusedByHive, loneSurrogate),
        refused: [refusedByHive, loneSurrogate],
      },
    ];
    const workers = startSinkWorkers(
      cases.map(({ sink }) => sink),
      { topic, deadLetterTopic },
      'refused',
    );
    try {
      for (const { sink, stored } of cases) {
        await waitForStoreCount(sink, stored.length);
        assertEveryBidStoredOnce(stored, await sink.readStored());
      }
      const expectedLetters = cases.reduce((sum, { refused }) => sum + refused.length, 0);
      const letters = await readTopic(deadLetterTopic, expectedLetters, 30_000);
      assert.equal(letters.length, expectedLetters, 'one dead letter per refusal, nothing more');
      for (const { sink, refused } of cases) {
        const mine = letters.filter((letter) => headerOf(letter, 'dlq.sink') === sink.worker);
        assert.deepEqual(
          mine.map((letter) => bidOf(letter).bid_id).sort(),
          refused.map((bid) => bid.bid_id).sort(),
          `${sink.worker} dead-lettered exactly what it refused`,
        );
        for (const letter of mine) assert.equal(headerOf(letter, 'dlq.reason'), 'store-refused');
      }
      for (const worker of workers) assert.equal(worker.hasExited, false, `${worker.pid} goes on`);
    } finally {
      await Promise.all(workers.map((worker) => worker.dispose()));
    }
  });
});
