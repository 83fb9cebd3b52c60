import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type mysql from 'mysql2/promise';
import { readCheckpoint } from '../../workers/csv/checkpoint';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { readCsvBids } from '../support/csvBids';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { runOperatorCommand } from '../support/operatorCommand';
import { headerOf, readTopic } from '../support/readTopic';
import { assertEveryBidStoredOnce } from '../support/sinkCrashRecovery';
import { waitFor } from '../support/service';

const REFUSED_ITEM = 'Lot the MySQL store refuses';

describe('a dead letter of one sink, replayed', () => {
  let topic: string;
  let deadLetterTopic: string;
  let database: TestDatabase;
  let table: TestHiveTable;
  let folder: string;
  let stream: BidStream;
  const workers: SinkWorkerProcess[] = [];
  before(async () => {
    topic = await createTestTopic('replay-e2e', 1);
    deadLetterTopic = await createTestTopic('replay-e2e-dlq', 1);
    database = await createTestDatabase();
    table = await createTestHiveTable('replay_e2e');
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'replay-e2e-'));
    stream = await BidStream.open();
  });
  after(async () => {
    for (const worker of workers) await worker.dispose();
    await stream.close();
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    await database.drop();
    await table.drop();
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('reaches every store exactly once: the sink that refused it stores it, the others skip it', async () => {
    // Only MySQL refuses this bid (a CHECK constraint): it dead-letters it, CSV and Hive store it.
    await database.pool.query(`ALTER TABLE bids ADD CONSTRAINT refuse_lot CHECK (item <> '${REFUSED_ITEM}')`);
    const csvPath = path.join(folder, 'bids.csv');
    const common = {
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: deadLetterTopic,
      MYSQL_URL: database.url,
      CSV_PATH: csvPath,
      HIVE_TABLE: table.name,
      SINK_BATCH_LINGER_MS: '50',
    };
    for (const sink of ['mysql', 'csv', 'hive']) {
      workers.push(
        new SinkWorkerProcess(sink, { ...common, SINK_CONSUMER_GROUP: `replay-${sink}-${randomUUID().slice(0, 8)}` }),
      );
    }
    const bids = Array.from({ length: 5 }, (_, i) => sampleBid(i, i === 2 ? { item: REFUSED_ITEM } : {}));
    await stream.sendBids(topic, bids);

    const [letter] = await readTopic(deadLetterTopic, 1);
    assert.ok(letter, 'MySQL dead-lettered the bid it refused');
    assert.equal(headerOf(letter, 'dlq.sink'), 'mysql');
    assert.equal(headerOf(letter, 'dlq.reason'), 'store-refused');
    await waitFor('MySQL to store the other four bids', async () =>
      (await countMysqlBids(database.pool)) === 4 ? true : undefined,
    );
    await waitFor('CSV and Hive to store all five', async () =>
      readCsvBids(csvPath).length === 5 && (await table.count()) === 5 ? true : undefined,
    );
    assert.equal((await readTopic(deadLetterTopic, 2, 3_000)).length, 1, 'only MySQL dead-lettered it');

    // The cause is fixed; the operator replays MySQL's dead letter.
    await database.pool.query('ALTER TABLE bids DROP CONSTRAINT refuse_lot');
    const replay = await runOperatorCommand('scripts/dlq.js', ['replay', '--sink', 'mysql'], common);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /^1 dead letter\(s\) replayed$/m);

    await waitFor('MySQL to store the replayed bid', async () =>
      (await countMysqlBids(database.pool)) === 5 ? true : undefined,
    );
    // CSV and Hive read past the replay (offset 5): their stored positions say so.
    await waitFor('CSV and Hive to move past the replayed record', async () => {
      const csvPosition = (await readCheckpoint(`${csvPath}.checkpoint.json`))?.positions[topic]?.['0'] ?? 0;
      const [hiveRow] = await table.connection.query<{ next_offset: unknown }>(
        `SELECT MAX(next_offset) AS next_offset FROM ${table.name}_positions`,
      );
      return csvPosition >= 6 && Number(hiveRow?.next_offset ?? 0) >= 6 ? true : undefined;
    });
    assertEveryBidStoredOnce(bids, await readMysqlBids(database.pool));
    assertEveryBidStoredOnce(bids, readCsvBids(csvPath));
    assertEveryBidStoredOnce(bids, await table.readBids());
    const [rows] = await database.pool.query<mysql.RowDataPacket[]>('SELECT kafka_offset FROM bids WHERE item = ?', [
      REFUSED_ITEM,
    ]);
    assert.deepEqual(
      rows.map((row) => Number(row.kafka_offset)),
      [5],
      'stored from its replay',
    );
    for (const worker of workers) assert.equal(worker.hasExited, false, 'every worker still running');
  });
});
