import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testSinkContext } from '../support/sinkContext';
import { createHiveSink } from '../../workers/hive/hiveSink';
import type { Sink } from '../../workers/runtime/sink';
import { TransientSinkError } from '../../workers/runtime/sink';
import { sampleBid } from '../support/bidStream';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { toSqlTimestamp } from '../../lib/sqlTimestamp';
import { sampleRecords } from '../support/sinkRecords';

describe('the Hive sink through a real ODBC driver manager and driver', () => {
  let table: TestHiveTable;
  let sink: Sink;
  before(async () => {
    table = await createTestHiveTable('hive_sink');
    sink = createHiveSink(testSinkContext({ HIVE_TABLE: table.name, HIVE_ROWS_PER_INSERT: '7' }));
    await sink.start();
  });
  after(async () => {
    await sink.stop();
    await table.drop();
  });

  it('creates its tables on start, and starting again leaves them as they are', async () => {
    const again = createHiveSink(testSinkContext({ HIVE_TABLE: table.name }));
    await again.start();
    await again.stop();
    assert.equal(await table.count(), 0);
    assert.deepEqual(
      await sink.open('auction', [0, 1, 2]),
      new Map(),
      'nothing written: every partition from its start',
    );
  });

  it('stores every field of every bid, in batches larger than one statement', async () => {
    const batch = [...sampleRecords(0, 30, 0), ...sampleRecords(0, 12, 1)];
    await sink.write({
      records: batch,
      positions: new Map([
        [0, 30],
        [1, 12],
      ]),
    });
    const stored = await table.readBids();
    assert.equal(stored.length, 42);
    const byId = new Map(stored.map((bid) => [bid.bid_id, bid]));
    for (const { bid } of batch) assert.deepEqual(byId.get(bid.bid_id), bid);
    const rows = await table.connection.query<{ kafka_partition: unknown; kafka_offset: unknown; bid_date: unknown }>(
      `SELECT kafka_partition, kafka_offset, bid_date FROM ${table.name} WHERE bid_id = ?`,
      [batch[31]!.bid.bid_id],
    );
    assert.equal(Number(rows[0]?.kafka_partition), 1);
    assert.equal(Number(rows[0]?.kafka_offset), 1);
    assert.equal(String(rows[0]?.bid_date), batch[31]!.bid.bid_ts.slice(0, 10));
  });

  it('keeps names that look like SQL or formulas exactly as they were bid', async () => {
    const names = ["Robert'); DROP TABLE bids;--", '=HYPERLINK("http://x","y")', 'Zoë "the bidder", Jr. 競売'];
    const batch = names.map((name, i) => sampleRecords(100 + i, 1, 2, name)[0]!);
    await sink.write({ records: batch, positions: new Map([[2, 103]]) });
    const stored = await table.readBids();
    for (const { bid } of batch) {
      assert.deepEqual(
        stored.find((row) => row.bid_id === bid.bid_id),
        bid,
      );
    }
  });

  it('resumes each partition after its last stored bid, or after dead letters it recorded past them', async () => {
    // Partition 0's last records were dead letters: no bids, but the position moves on.
    await sink.write({ records: [], positions: new Map([[0, 35]]) });
    const restarted = createHiveSink(testSinkContext({ HIVE_TABLE: table.name }));
    await restarted.start();
    try {
      assert.deepEqual(
        await restarted.open('auction', [0, 1, 2, 3]),
        new Map([
          [0, 35],
          [1, 12],
          [2, 103],
        ]),
      );
    } finally {
      await restarted.stop();
    }
  });

  it('resumes from the stored bids when a crash came between the bids and their position row', async () => {
    // What a crash after the INSERTs and before the positions row leaves behind.
    const orphan = sampleRecords(12, 3, 1)[2]!;
    await table.connection.query(
      `INSERT INTO ${table.name} (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, bid_date) ` +
        'VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, CAST(? AS DATE))',
      [
        orphan.bid.bid_id,
        orphan.bid.item,
        orphan.bid.name,
        orphan.bid.price,
        toSqlTimestamp(orphan.bid.bid_ts),
        1,
        14,
        orphan.bid.bid_ts.slice(0, 10),
      ],
    );
    assert.equal((await sink.open('auction', [1])).get(1), 15);
  });

  it('writes nothing of a batch that fails part-way, so a retry stores it once', async () => {
    const before = await table.count();
    const good = sampleRecords(200, 10, 3);
    const bad = { ...sampleRecords(210, 1, 3)[0]!, bid: { ...sampleBid(210), bid_id: 'x'.repeat(37) } };
    await assert.rejects(
      sink.write({ records: [...good, bad], positions: new Map([[3, 211]]) }),
      (error: Error) => !(error instanceof TransientSinkError) && /ODBC \(postgresql\)/.test(error.message),
    );
    assert.equal(await table.count(), before, 'the transaction was rolled back');
    await sink.write({ records: good, positions: new Map([[3, 210]]) });
    assert.equal(await table.count(), before + 10);
  });

  it('refuses to start with a clear message when the data source cannot be reached', async () => {
    const unreachable = createHiveSink(
      testSinkContext({
        HIVE_ODBC_CONNECTION_STRING: 'Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=1;Database=none;Uid=postgres;',
        HIVE_TABLE: table.name,
      }),
    );
    await assert.rejects(unreachable.start(), (error: Error) => /ODBC \(postgresql\).*08/.test(error.message));
  });
});
