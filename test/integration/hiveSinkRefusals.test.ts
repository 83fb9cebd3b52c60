import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../lib/env';
import { createHiveSink } from '../../workers/hive/hiveSink';
import { bidInserts } from '../../workers/hive/hiveStatements';
import { StoreRefusedError, type Sink, type SinkRecord } from '../../workers/runtime/sink';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { testSinkContext } from '../support/sinkContext';
import { sampleRecords } from '../support/sinkRecords';

const REFUSED_NAME = 'Refused by Hive';

function withName(record: SinkRecord, name: string): SinkRecord {
  return { ...record, bid: { ...record.bid, name } };
}

/** The Kafka offsets the table holds for a partition, in order, duplicates kept. */
async function storedOffsets(table: TestHiveTable, partition: number): Promise<number[]> {
  const rows = await table.connection.query<{ kafka_offset: unknown }>(
    `SELECT kafka_offset FROM ${table.name} WHERE kafka_partition = ? ORDER BY kafka_offset`,
    [partition],
  );
  return rows.map((row) => Number(row.kafka_offset));
}

/** A started Hive sink on its own table, whose names may not be REFUSED_NAME (a CHECK constraint). */
async function sinkOnCheckedTable(
  prefix: string,
  env: Record<string, string>,
): Promise<{ table: TestHiveTable; sink: Sink }> {
  const table = await createTestHiveTable(prefix);
  const sink = createHiveSink(testSinkContext({ HIVE_TABLE: table.name, ...env }));
  await sink.start();
  await table.connection.query(
    `ALTER TABLE ${table.name} ADD CONSTRAINT ${table.name}_no_refused CHECK (name <> '${REFUSED_NAME}')`,
  );
  return { table, sink };
}

function isStoreRefused(pattern: RegExp, refused?: readonly SinkRecord[]) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof StoreRefusedError, `expected StoreRefusedError, got ${String(error)}`);
    assert.match(error.message, pattern);
    if (refused) assert.deepEqual(error.refused, refused);
    return true;
  };
}

describe('the Hive sink with data the store refuses (one transaction a batch)', () => {
  let table: TestHiveTable;
  let sink: Sink;
  before(async () => {
    ({ table, sink } = await sinkOnCheckedTable('hive_refused', { HIVE_ROWS_PER_INSERT: '4' }));
  });
  after(async () => {
    await sink.stop();
    await table.drop();
  });

  it('raises StoreRefusedError for a bid a CHECK constraint forbids and keeps nothing of its batch', async () => {
    const batch = sampleRecords(0, 10);
    batch[5] = withName(batch[5]!, REFUSED_NAME);
    await assert.rejects(sink.write({ records: batch, positions: new Map([[0, 10]]) }), isStoreRefused(/check/i));
    assert.equal(await table.count(), 0);
    // Alone in its statement, the refused bid is named.
    await assert.rejects(
      sink.write({ records: [batch[5]!], positions: new Map([[0, 6]]) }),
      isStoreRefused(/check/i, [batch[5]!]),
    );
    assert.equal(await table.count(), 0);
    const rest = batch.filter((_, i) => i !== 5);
    await sink.write({ records: rest, positions: new Map([[0, 10]]) });
    assert.deepEqual(await storedOffsets(table, 0), [0, 1, 2, 3, 4, 6, 7, 8, 9]);
  });

  it('refuses a bid whose name or item is not well-formed Unicode before writing, naming it', async () => {
    const before = await table.count();
    const batch = sampleRecords(20, 6, 1);
    batch[2] = withName(batch[2]!, 'Ada \ud83e');
    batch[4] = { ...batch[4]!, bid: { ...batch[4]!.bid, item: '\udd89 clock' } };
    await assert.rejects(
      sink.write({ records: batch, positions: new Map([[1, 26]]) }),
      isStoreRefused(/not well-formed Unicode/, [batch[2]!, batch[4]!]),
    );
    const message = await sink.write({ records: batch, positions: new Map([[1, 26]]) }).catch((e: Error) => e.message);
    for (const [i, field] of [
      [2, 'name'],
      [4, 'item'],
    ] as const) {
      assert.match(
        String(message),
        new RegExp(`${batch[i]!.bid.bid_id} \\(partition 1, offset ${20 + i}\\): ${field}`),
      );
    }
    assert.equal(await table.count(), before, 'nothing of the batch was written');
    // A whole surrogate pair is a character like any other.
    const owl = withName(sampleRecords(26, 1, 1)[0]!, 'Ada 🦉');
    await sink.write({ records: [owl], positions: new Map([[1, 27]]) });
    const stored = await table.readBids();
    assert.equal(stored.find((bid) => bid.bid_id === owl.bid.bid_id)?.name, 'Ada 🦉');
  });

  it('stops with a ConfigError naming HIVE_TABLE when its table is gone', async () => {
    const gone = await createTestHiveTable('hive_gone');
    const orphan = createHiveSink(testSinkContext({ HIVE_TABLE: gone.name }));
    try {
      await orphan.start();
      await gone.connection.query(`DROP TABLE ${gone.name}`);
      await assert.rejects(
        orphan.write({ records: sampleRecords(0, 3), positions: new Map([[0, 3]]) }),
        (error: unknown) => error instanceof ConfigError && error.variable === 'HIVE_TABLE',
      );
    } finally {
      await orphan.stop();
      await gone.drop();
    }
  });
});

describe('the Hive sink without transactions', () => {
  let table: TestHiveTable;
  let sink: Sink;
  before(async () => {
    ({ table, sink } = await sinkOnCheckedTable('hive_untx', { HIVE_TRANSACTIONS: 'off', HIVE_ROWS_PER_INSERT: '3' }));
  });
  after(async () => {
    await sink.stop();
    await table.drop();
  });

  it('leaves a prefix of the partition when a bid is refused part-way, and stores the rest once after it', async () => {
    const batch = sampleRecords(0, 10, 2);
    batch[7] = withName(batch[7]!, REFUSED_NAME);
    await assert.rejects(sink.write({ records: batch, positions: new Map([[2, 10]]) }), isStoreRefused(/check/i));
    assert.deepEqual(await storedOffsets(table, 2), [0, 1, 2, 3, 4, 5], 'the statements before the refused one');
    // What the runtime does next: the refused bid is dead-lettered, the rest written again.
    await sink.write({ records: batch.filter((_, i) => i !== 7), positions: new Map([[2, 10]]) });
    assert.deepEqual(await storedOffsets(table, 2), [0, 1, 2, 3, 4, 5, 6, 8, 9]);
  });

  it('skips the bids a previous owner of the partition stored after it was opened', async () => {
    assert.deepEqual(await sink.open('auction', [3]), new Map());
    const batch = sampleRecords(0, 10, 3);
    // A previous owner, cut off part-way through the same records, had stored the first five.
    for (const statement of bidInserts('postgresql', table.name, batch.slice(0, 5), 5, 0)) {
      await table.connection.query(statement.sql, statement.params);
    }
    await sink.write({ records: batch, positions: new Map([[3, 10]]) });
    assert.deepEqual(await storedOffsets(table, 3), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
