import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { ConfigError } from '../../lib/env';
import { MYSQL_MIGRATIONS_DIR } from '../../lib/mysql/migrate';
import { createMysqlSink } from '../../workers/mysql/mysqlSink';
import { StoreRefusedError, type Sink, type SinkRecord } from '../../workers/runtime/sink';
import { sampleBid } from '../support/bidStream';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { testSinkContext } from '../support/sinkContext';
import type { Bid } from '../../lib/bid/bid';

const TOPIC = 'auction';

function recordsOf(bids: readonly Bid[], firstOffset = 0): SinkRecord[] {
  return bids.map((bid, i) => ({ bid, extra: {}, schemaId: 1, topic: TOPIC, partition: 0, offset: firstOffset + i }));
}

async function writeAll(sink: Sink, records: readonly SinkRecord[]): Promise<void> {
  const next = records.length === 0 ? 0 : records[records.length - 1]!.offset + 1;
  await sink.write({ records, positions: new Map([[0, next]]) });
}

describe('the MySQL sink stores bids exactly or refuses them', () => {
  let database: TestDatabase;
  let sink: Sink;
  before(async () => {
    database = await createTestDatabase('test_strict');
    // Narrower than the schema allows, so MySQL itself must refuse what the schema lets through.
    await database.pool.query('ALTER TABLE bids MODIFY name VARCHAR(5) NOT NULL');
    await database.pool.query('ALTER TABLE bids ADD CONSTRAINT price_below_1000 CHECK (price < 1000)');
    sink = createMysqlSink(testSinkContext({ MYSQL_URL: database.url }));
    await sink.start();
    await sink.open(TOPIC, [0]);
  });
  after(async () => {
    await sink.stop();
    await database.drop();
  });

  it('refuses a name longer than its column as StoreRefusedError and stores nothing of the batch', async () => {
    const batch = recordsOf([sampleBid(1, { name: 'Ada' }), sampleBid(2, { name: 'Bartholomew', price: 10 })]);
    await assert.rejects(writeAll(sink, batch), StoreRefusedError);
    assert.equal(await countMysqlBids(database.pool), 0, 'no row, not even a truncated one');
    const [positions] = await database.pool.query<mysql.RowDataPacket[]>('SELECT * FROM sink_offsets');
    assert.equal(positions.length, 0, 'the position did not move');
  });

  it('refuses a bid a CHECK constraint rejects as StoreRefusedError instead of skipping it', async () => {
    await assert.rejects(writeAll(sink, recordsOf([sampleBid(3, { name: 'Ada', price: 5000 })])), StoreRefusedError);
    assert.equal(await countMysqlBids(database.pool), 0);
  });

  it('refuses a name holding a lone surrogate, naming the record, where mysql2 would store U+FFFD', async () => {
    const good = sampleBid(4, { name: 'Ada', price: 10 });
    const broken = sampleBid(5, { name: 'Ad\ud800', price: 10 });
    const batch = recordsOf([good, broken]);
    await assert.rejects(
      writeAll(sink, batch),
      (error: unknown) =>
        error instanceof StoreRefusedError &&
        error.refused?.length === 1 &&
        error.refused[0] === batch[1] &&
        /name/.test(error.message),
    );
    assert.equal(await countMysqlBids(database.pool), 0);
  });

  it('keeps a repeated bid_id a no-op', async () => {
    const bid = sampleBid(6, { name: 'Ada', price: 10 });
    await writeAll(sink, recordsOf([bid], 10));
    await writeAll(sink, recordsOf([{ ...bid, price: 20 }], 11));
    assert.deepEqual(await readMysqlBids(database.pool), [bid]);
  });
});

describe('the MySQL sink checks its tables and permissions at start', () => {
  let database: TestDatabase;
  const user = `auction_ro_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  before(async () => {
    database = await createTestDatabase('test_start');
  });
  after(async () => {
    await database.pool.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await database.drop();
  });

  /** The sink refuses to start with a ConfigError naming MYSQL_URL, `mention` and `npm run migrate`; `migration` then puts back what the test removed. */
  async function assertStartRefusedUntilMigrated(mention: RegExp, migration: string): Promise<void> {
    const sink = createMysqlSink(testSinkContext({ MYSQL_URL: database.url }));
    try {
      await assert.rejects(
        sink.start(),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === 'MYSQL_URL' &&
          mention.test(error.message) &&
          /npm run migrate/.test(error.message),
      );
    } finally {
      await sink.stop();
      // Put back as the migration made it.
      await database.pool.query(readFileSync(path.join(MYSQL_MIGRATIONS_DIR, migration), 'utf8'));
    }
  }

  it('names MYSQL_URL and the missing table when the database was not migrated', async () => {
    await database.pool.query('DROP TABLE sink_offsets');
    await assertStartRefusedUntilMigrated(/sink_offsets/, '002_sink_offsets.sql');
  });

  it('names MYSQL_URL and `npm run migrate` when the bids table lacks a column a later migration adds (extra)', async () => {
    await database.pool.query('ALTER TABLE bids DROP COLUMN extra');
    await assertStartRefusedUntilMigrated(/extra/, '004_bids_extra.sql');
  });

  it('names MYSQL_URL and the missing privilege when the user may only read', async () => {
    const name = new URL(database.url).pathname.slice(1);
    await database.pool.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'readonly-pw'`);
    await database.pool.query(`GRANT SELECT ON \`${name}\`.* TO '${user}'@'%'`);
    const url = new URL(database.url);
    url.username = user;
    url.password = 'readonly-pw';
    const sink = createMysqlSink(testSinkContext({ MYSQL_URL: url.toString() }));
    try {
      await assert.rejects(
        sink.start(),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === 'MYSQL_URL' &&
          // An upsert reads the column its UPDATE part names: SELECT is needed as well.
          /grant its user SELECT, INSERT and UPDATE on bids$/.test(error.message) &&
          !/readonly-pw/.test(error.message),
      );
    } finally {
      await sink.stop();
    }
  });
});

describe('the MySQL sink and fields added to the bid', () => {
  it('keeps the fields a bid carries beyond the columns as a JSON object in extra, NULL when none', async () => {
    const database = await createTestDatabase('test_extra');
    const sink = createMysqlSink(testSinkContext({ MYSQL_URL: database.url }));
    await sink.start();
    try {
      const plain = sampleBid(900);
      const withCurrency = sampleBid(901);
      const records: SinkRecord[] = [
        { bid: plain, extra: {}, schemaId: 1, topic: TOPIC, partition: 0, offset: 900 },
        { bid: withCurrency, extra: { currency: 'EUR' }, schemaId: 2, topic: TOPIC, partition: 0, offset: 901 },
      ];
      await sink.write({ records, positions: new Map([[0, 902]]) });
      const [rows] = await database.pool.query<mysql.RowDataPacket[]>(
        'SELECT bid_id, extra FROM bids WHERE bid_id IN (?, ?) ORDER BY kafka_offset',
        [plain.bid_id, withCurrency.bid_id],
      );
      const extras = rows.map((row) => (typeof row.extra === 'string' ? JSON.parse(row.extra) : row.extra) as unknown);
      assert.deepEqual(extras, [null, { currency: 'EUR' }]);
    } finally {
      await sink.stop();
      await database.drop();
    }
  });
});
