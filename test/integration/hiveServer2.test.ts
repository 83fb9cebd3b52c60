import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SinkRecord } from '../../workers/runtime/sink';
import { prepareTables } from '../../workers/hive/hiveDdl';
import {
  bidInserts,
  notYetStored,
  positionsInsert,
  resumePositions,
  sessionSetup,
  storedOffsetsAmong,
  type Statement,
} from '../../workers/hive/hiveStatements';
import { partitionMap, readResumeState, type PartitionRow } from '../../workers/hive/resumeState';
import { odbcFailureOf } from '../../workers/hive/odbcFailure';
import { readHiveSettings } from '../../workers/hive/hiveSettings';
import { extraColumnText } from '../../lib/bid/readBid';
import { fromSqlTimestamp } from '../../lib/sqlTimestamp';
import { sampleRecords } from '../support/sinkRecords';
import { ensureHiveServer2, openHiveJdbcSession, stopHiveServer2, type HiveJdbcSession } from '../support/hiveServer2';

const TOPIC = 'auction';

/** A record of the given Kafka partition and offset whose bid was accepted at `bidTs`. */
function recordAt(partition: number, offset: number, bidTs: string, name?: string): SinkRecord {
  const [record] = sampleRecords(offset, 1, partition, name);
  return { ...record!, bid: { ...record!.bid, bid_ts: bidTs } };
}

/** Records `from`…`to - 1` of one Kafka partition, all on one bid date. */
function recordsOf(partition: number, from: number, to: number): SinkRecord[] {
  return sampleRecords(from, to - from, partition).map((record) => ({
    ...record,
    bid: { ...record.bid, bid_ts: `2026-11-23T08:${String(record.offset % 60).padStart(2, '0')}:00.000Z` },
  }));
}

/** Every column of a stored bid as the test compares it: bid_ts back in the bid's own RFC 3339 text. */
function storedRow(row: Record<string, unknown>): Record<string, unknown> {
  return { ...row, bid_ts: fromSqlTimestamp(String(row.bid_ts)) };
}

function expectedRow(record: SinkRecord, generation: number): Record<string, unknown> {
  const { bid } = record;
  return {
    bid_id: bid.bid_id,
    item: bid.item,
    name: bid.name,
    price: bid.price,
    bid_ts: bid.bid_ts,
    kafka_partition: record.partition,
    kafka_offset: record.offset,
    reset_generation: generation,
    extra: extraColumnText(record.extra),
    bid_date: bid.bid_ts.slice(0, 10),
  };
}

const BID_COLUMNS =
  'bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, reset_generation, extra, bid_date';

describe('the Hive sink’s HiveQL on a real HiveServer2 4.0.1 (local stack part, Hive’s JDBC driver)', () => {
  const database = `it_hive_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  let startedHere = false;
  let hive: HiveJdbcSession;

  async function runAll(statements: readonly Statement[]): Promise<number[]> {
    const times: number[] = [];
    for (const { sql, params } of statements) times.push((await hive.timed(sql, params)).ms);
    return times;
  }

  async function sinkTable(name: string): Promise<string> {
    const table = `${database}.${name}`;
    // The table name goes through the sink's own check (HIVE_TABLE takes database.table).
    assert.equal(readHiveSettings({ HIVE_TABLE: table, HIVE_SQL_DIALECT: 'hive' }).table, table);
    await prepareTables(hive, 'hive', table);
    return table;
  }

  before(async () => {
    startedHere = ensureHiveServer2();
    hive = await openHiveJdbcSession();
    await hive.query(`CREATE DATABASE ${database}`);
    for (const sql of sessionSetup('hive')) await hive.query(sql);
  });
  after(async () => {
    await hive?.query(`DROP DATABASE IF EXISTS ${database} CASCADE`).catch(() => undefined);
    await hive?.close();
    if (startedHere) stopHiveServer2();
  });

  it('creates the tables of sql/hive/bids.hql as a date-partitioned ORC table, and a second run of the DDL step changes nothing', async () => {
    const table = await sinkTable('ddl_bids');
    await prepareTables(hive, 'hive', table);
    const definition = (await hive.query<Record<string, string>>(`SHOW CREATE TABLE ${table}`))
      .map((row) => Object.values(row)[0])
      .join('\n');
    assert.match(definition, /PARTITIONED BY \(\s*`bid_date` string/i);
    assert.match(definition, /OrcInputFormat/);
    const columns = (await hive.query<{ col_name: string }>(`DESCRIBE ${table}_positions`)).map((row) =>
      row.col_name.trim(),
    );
    assert.deepEqual(columns, ['topic', 'kafka_partition', 'next_offset', 'written_at', 'reset_generation']);
  });

  it('upgrades a table made before reset_generation and extra (ALTER TABLE … ADD COLUMNS … CASCADE), its old rows reading generation 0', async () => {
    const table = `${database}.old_bids`;
    await hive.query(
      `CREATE TABLE ${table} (bid_id STRING, item STRING, name STRING, price BIGINT, bid_ts TIMESTAMP, ` +
        'kafka_partition INT, kafka_offset BIGINT) PARTITIONED BY (bid_date STRING) STORED AS ORC',
    );
    await hive.query(
      `CREATE TABLE ${table}_positions (topic STRING, kafka_partition INT, next_offset BIGINT, written_at TIMESTAMP) STORED AS ORC`,
    );
    await hive.query(
      `INSERT INTO TABLE ${table} PARTITION (bid_date) VALUES ` +
        "('5b0f3f7e-2a53-4a39-9c52-1f0c9b7f0a11', 'Oak dresser', 'Ada', 1200, '2026-11-23 10:00:00', 0, 41, '2026-11-23')",
    );
    await prepareTables(hive, 'hive', table);
    const [old] = await hive.query<Record<string, unknown>>(`SELECT reset_generation, extra FROM ${table}`);
    assert.deepEqual(old, { reset_generation: null, extra: null });
    const state = await readResumeState(hive, 'hive', table, TOPIC, [0]);
    assert.deepEqual(state, { generation: 0, positions: new Map([[0, 42]]) }, 'the old row counts in generation 0');
  });

  it('stores every field of the bids the sink’s INSERT carries, each bid in the partition of its UTC date', async (t) => {
    const table = await sinkTable('field_bids');
    const records = [
      recordAt(0, 5, '2026-11-22T23:59:59.999Z', 'O\'Brien \\ "the quoted"'),
      recordAt(0, 6, '2026-11-23T00:00:00.000Z', 'Zoë 🙂 ; -- not a comment'),
      recordAt(1, 3, '2026-11-23T12:30:45.120Z'),
      { ...recordAt(2, 9, '2026-11-22T07:00:00.001Z'), extra: { colour: 'red', lots: [1, 2] } },
    ];
    const generation = 0;
    const statements: Statement[] = bidInserts('hive', table, records, 1000, generation);
    const positions = positionsInsert(
      'hive',
      table,
      TOPIC,
      new Map([
        [0, 7],
        [1, 4],
        [2, 10],
      ]),
      new Date('2026-11-23T12:31:00.000Z'),
      generation,
    );
    const times = await runAll([...statements, positions!]);
    t.diagnostic(`one 4-row INSERT: ${times[0]} ms; the positions INSERT: ${times[1]} ms`);

    const partitions = (await hive.query<{ partition: string }>(`SHOW PARTITIONS ${table}`)).map((row) =>
      String(Object.values(row)[0]),
    );
    assert.deepEqual(partitions.sort(), ['bid_date=2026-11-22', 'bid_date=2026-11-23']);
    for (const date of ['2026-11-22', '2026-11-23']) {
      const rows = await hive.query<Record<string, unknown>>(
        `SELECT ${BID_COLUMNS} FROM ${table} WHERE bid_date = ? ORDER BY kafka_partition, kafka_offset`,
        [date],
      );
      assert.deepEqual(
        rows.map(storedRow),
        records.filter((record) => record.bid.bid_ts.startsWith(date)).map((record) => expectedRow(record, 0)),
        `the bids of ${date}`,
      );
    }
    const stored = await hive.query<Record<string, unknown>>(
      `SELECT topic, kafka_partition, next_offset, written_at, reset_generation FROM ${table}_positions ORDER BY kafka_partition`,
    );
    assert.deepEqual(
      stored.map((row) => ({ ...row, written_at: fromSqlTimestamp(String(row.written_at)) })),
      [0, 1, 2].map((partition) => ({
        topic: TOPIC,
        kafka_partition: partition,
        next_offset: [7, 4, 10][partition],
        written_at: '2026-11-23T12:31:00.000Z',
        reset_generation: 0,
      })),
    );
  });

  it('resumes a partly written batch where the stored prefix of each partition ends, and the retry writes only the rest', async () => {
    const table = await sinkTable('resume_bids');
    // A first batch, complete: partitions 0 and 1 up to offset 9; partition 2's records were all dead letters.
    const first = [...recordsOf(0, 0, 10), ...recordsOf(1, 0, 10)];
    await runAll([
      ...bidInserts('hive', table, first, 1000, 0),
      positionsInsert(
        'hive',
        table,
        TOPIC,
        new Map([
          [0, 10],
          [1, 10],
          [2, 5],
        ]),
        new Date(),
        0,
      )!,
    ]);
    // The next batch, ten bids a statement; the writer stops after three of its five statements.
    const batch = [...recordsOf(2, 5, 10), ...recordsOf(1, 10, 30), ...recordsOf(0, 10, 30)];
    const statements = bidInserts('hive', table, batch, 10, 0);
    assert.equal(statements.length, 5);
    await runAll(statements.slice(0, 3));

    const expected = resumePositions(
      new Map([
        [0, 29],
        [1, 19],
      ]),
      new Map([
        [0, 10],
        [1, 10],
        [2, 5],
      ]),
      [0, 1, 2, 3],
    );
    assert.deepEqual(
      expected,
      new Map([
        [0, 30],
        [1, 20],
        [2, 5],
      ]),
      'what the sink’s own rule says',
    );
    assert.deepEqual(await readResumeState(hive, 'hive', table, TOPIC, [0, 1, 2, 3]), {
      generation: 0,
      positions: expected,
    });

    // The retry of the same batch: the sink reads what is stored among its records and writes the rest.
    const query = storedOffsetsAmong('hive', table, batch, 0);
    const rest = notYetStored(
      batch,
      partitionMap(await hive.query<PartitionRow>(query.sql, query.params), 'last_offset'),
    );
    assert.deepEqual(
      rest.map((record) => `${record.partition}:${record.offset}`),
      [...recordsOf(2, 5, 10), ...recordsOf(1, 20, 30)].map((record) => `${record.partition}:${record.offset}`),
    );
    await runAll([
      ...bidInserts('hive', table, rest, 10, 0),
      positionsInsert(
        'hive',
        table,
        TOPIC,
        new Map([
          [0, 30],
          [1, 30],
          [2, 10],
        ]),
        new Date(),
        0,
      )!,
    ]);
    const counts = await hive.query<{ kafka_partition: number; n: number; distinct_offsets: number }>(
      `SELECT kafka_partition, COUNT(*) AS n, COUNT(DISTINCT kafka_offset) AS distinct_offsets FROM ${table} ` +
        'GROUP BY kafka_partition ORDER BY kafka_partition',
    );
    assert.deepEqual(counts, [
      { kafka_partition: 0, n: 30, distinct_offsets: 30 },
      { kafka_partition: 1, n: 30, distinct_offsets: 30 },
      { kafka_partition: 2, n: 5, distinct_offsets: 5 },
    ]);

    // sink:reset appends a generation-1 marker per partition: it wins over the higher offsets stored before it.
    await runAll([
      positionsInsert(
        'hive',
        table,
        TOPIC,
        new Map([
          [0, 0],
          [1, 0],
          [2, 0],
        ]),
        new Date(),
        1,
      )!,
    ]);
    assert.deepEqual(await readResumeState(hive, 'hive', table, TOPIC, [0, 1, 2]), {
      generation: 1,
      positions: new Map([
        [0, 0],
        [1, 0],
        [2, 0],
      ]),
    });
  });

  it('takes one 1,000-row INSERT of the sink (time printed, not asserted)', async (t) => {
    const table = await sinkTable('timed_bids');
    const records = recordsOf(0, 0, 1000);
    const [statement] = bidInserts('hive', table, records, 1000, 0);
    const { ms } = await hive.timed(statement!.sql, statement!.params);
    const [ten] = bidInserts('hive', table, recordsOf(1, 0, 10), 1000, 0);
    const small = await hive.timed(ten!.sql, ten!.params);
    t.diagnostic(`one 1,000-row INSERT: ${ms} ms; one 10-row INSERT: ${small.ms} ms`);
    const [count] = await hive.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
    assert.equal(count?.n, 1010);
  });

  it('needs the sink’s session settings for its INSERT where dynamic partitioning is strict (Hive 3’s default; 4.0.1 defaults to nonstrict)', async () => {
    const table = await sinkTable('strict_bids');
    const [statement] = bidInserts('hive', table, recordsOf(0, 0, 1), 1000, 0);
    const strict = await openHiveJdbcSession();
    try {
      await strict.query('SET hive.exec.dynamic.partition.mode=strict');
      await assert.rejects(strict.query(statement!.sql, statement!.params), (error: Error) => {
        assert.match(error.message, /strict mode/i);
        assert.equal(odbcFailureOf(error), 'other', 'a configuration fault, not worth retrying');
        return true;
      });
      for (const sql of sessionSetup('hive')) await strict.query(sql);
      await strict.query(statement!.sql, statement!.params);
    } finally {
      await strict.close();
    }
    const [count] = await hive.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
    assert.equal(count?.n, 1);
  });

  it('reports a missing table in words the sink classifies as a missing table', async () => {
    const [statement] = bidInserts('hive', `${database}.no_such_bids`, recordsOf(0, 0, 1), 1000, 0);
    await assert.rejects(hive.query(statement!.sql, statement!.params), (error: Error) => {
      assert.equal(odbcFailureOf(error), 'missing-table', error.message);
      return true;
    });
  });
});
