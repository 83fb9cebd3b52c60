import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SinkRecord } from '../../workers/runtime/sink';
import { ddlStatements, hiveColumnUpgrades, tableDdl } from '../../workers/hive/hiveDdl';
import {
  bidInserts,
  currentGenerationQuery,
  lastStoredOffsetsQuery,
  notYetStored,
  recordedPositionsQuery,
  positionsInsert,
  resumePositions,
  sessionSetup,
  storedOffsetsAmong,
} from '../../workers/hive/hiveStatements';
import { sampleBid } from '../support/bidStream';
import { toSqlTimestamp } from '../../lib/sqlTimestamp';

function record(partition: number, offset: number, name = `bidder ${offset}`): SinkRecord {
  return { bid: sampleBid(offset, { name }), extra: {}, schemaId: 1, topic: 'auction', partition, offset };
}

describe('Hive statements', () => {
  it('writes HiveQL INSERT INTO TABLE … PARTITION (bid_date) VALUES with one placeholder per value', () => {
    const first = record(0, 7);
    const [statement, ...rest] = bidInserts('hive', 'bids', [first, record(0, 8)], 1000, 3);
    assert.equal(rest.length, 0);
    assert.equal(
      statement?.sql,
      "INSERT INTO TABLE bids PARTITION (bid_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?), " +
        "(?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?)",
    );
    const { bid } = first;
    assert.deepEqual(statement?.params.slice(0, 10), [
      bid.bid_id,
      bid.item,
      bid.name,
      bid.price,
      toSqlTimestamp(bid.bid_ts),
      0,
      7,
      3,
      '',
      bid.bid_ts.slice(0, 10),
    ]);
  });

  it('keeps the fields a bid carries beyond the columns as one JSON object in extra', () => {
    const withAdded = { ...record(0, 9), extra: { currency: 'EUR', lot_note: { grade: 2 } } };
    for (const dialect of ['hive', 'postgresql'] as const) {
      const [statement] = bidInserts(dialect, 'bids', [withAdded], 1000, 0);
      assert.equal(statement?.params[8], '{"currency":"EUR","lot_note":{"grade":2}}', dialect);
    }
  });

  it('never puts a value into the SQL text, however hostile the name', () => {
    const hostile = "Robert'); DROP TABLE bids;--";
    for (const dialect of ['hive', 'postgresql'] as const) {
      const [statement] = bidInserts(dialect, 'bids', [record(0, 1, hostile)], 1000, 0);
      assert.ok(statement);
      assert.doesNotMatch(statement.sql, /Robert|DROP/);
      assert.ok(statement.params.includes(hostile));
    }
  });

  it('casts timestamp and date text for PostgreSQL and names the columns', () => {
    const [statement] = bidInserts('postgresql', 'e2e_bids', [record(1, 3)], 1000, 0);
    assert.equal(
      statement?.sql,
      'INSERT INTO e2e_bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, reset_generation, extra, bid_date) VALUES ' +
        "(?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, ?, NULLIF(CAST(? AS TEXT), ''), CAST(? AS DATE))",
    );
  });

  it('cuts a batch into statements so that each partition is written in offset order, a prefix at a time', () => {
    const shuffled = [record(1, 11), record(0, 2), record(1, 10), record(0, 1), record(2, 5), record(0, 3)];
    const statements = bidInserts('hive', 'bids', shuffled, 2, 0);
    assert.equal(statements.length, 3);
    const positions = statements.map((s) => {
      const pairs: string[] = [];
      for (let i = 0; i < s.params.length; i += 10) pairs.push(`${s.params[i + 5]}:${s.params[i + 6]}`);
      return pairs;
    });
    assert.deepEqual(positions, [
      ['0:1', '0:2'],
      ['0:3', '1:10'],
      ['1:11', '2:5'],
    ]);
  });

  it('reads what is already stored of a batch only in its bid dates and Kafka partitions', () => {
    const batch = [record(2, 5), record(0, 1), record(2, 6)];
    const dates = [...new Set(batch.map((r) => r.bid.bid_ts.slice(0, 10)))].sort();
    const hive = storedOffsetsAmong('hive', 'bids', batch, 2);
    assert.equal(
      hive.sql,
      'SELECT kafka_partition, MAX(kafka_offset) AS last_offset FROM bids ' +
        `WHERE bid_date IN (${dates.map(() => '?').join(', ')}) AND kafka_partition IN (?, ?) ` +
        'AND COALESCE(reset_generation, 0) = ? GROUP BY kafka_partition',
    );
    assert.deepEqual(hive.params, [...dates, 0, 2, 2]);
    assert.match(storedOffsetsAmong('postgresql', 'bids', batch, 0).sql, /bid_date IN \(CAST\(\? AS DATE\)/);
  });

  it('skips the records of each partition up to its highest stored offset', () => {
    const batch = [record(0, 4), record(0, 5), record(1, 9), record(2, 3)];
    assert.deepEqual(
      notYetStored(
        batch,
        new Map([
          [0, 4],
          [1, 9],
        ]),
      ).map((r) => `${r.partition}:${r.offset}`),
      ['0:5', '2:3'],
    );
  });

  it('records one position row per partition of the batch', () => {
    const statement = positionsInsert(
      'postgresql',
      'bids',
      'auction',
      new Map([
        [0, 12],
        [2, 40],
      ]),
      new Date('2026-11-23T10:00:00.000Z'),
      1,
    );
    assert.equal(
      statement?.sql,
      'INSERT INTO bids_positions (topic, kafka_partition, next_offset, written_at, reset_generation) VALUES ' +
        '(?, ?, ?, CAST(? AS TIMESTAMP), ?), (?, ?, ?, CAST(? AS TIMESTAMP), ?)',
    );
    assert.deepEqual(statement?.params, [
      'auction',
      0,
      12,
      '2026-11-23 10:00:00.000',
      1,
      'auction',
      2,
      40,
      '2026-11-23 10:00:00.000',
      1,
    ]);
    assert.equal(positionsInsert('hive', 'bids', 'auction', new Map(), new Date(), 0), undefined);
  });

  it('resumes each partition past its last stored bid or its last recorded position, whichever is further', () => {
    const stored = new Map([
      [0, 99],
      [1, 40],
    ]);
    const recorded = new Map([
      [0, 90],
      [1, 55],
      [2, 7],
    ]);
    assert.deepEqual(
      resumePositions(stored, recorded, [0, 1, 2, 3]),
      new Map([
        [0, 100],
        [1, 55],
        [2, 7],
      ]),
    );
  });

  it('counts only rows of the current reset generation when it finds where to resume', () => {
    // Older Hive rows (added by ADD COLUMNS) read NULL: generation 0.
    assert.equal(
      lastStoredOffsetsQuery('hive', 'bids'),
      'SELECT kafka_partition, MAX(kafka_offset) AS last_offset FROM bids WHERE COALESCE(reset_generation, 0) = ? GROUP BY kafka_partition',
    );
    assert.match(
      recordedPositionsQuery('postgresql', 'bids'),
      /FROM bids_positions WHERE topic = \? AND reset_generation = \? /,
    );
    assert.equal(currentGenerationQuery('bids'), 'SELECT MAX(reset_generation) AS generation FROM bids_positions');
  });

  it('switches on dynamic partitioning in a Hive session only', () => {
    assert.deepEqual(sessionSetup('hive'), [
      'SET hive.exec.dynamic.partition=true',
      'SET hive.exec.dynamic.partition.mode=nonstrict',
    ]);
    assert.deepEqual(sessionSetup('postgresql'), []);
  });
});

describe('Hive DDL', () => {
  it('creates a managed ORC table partitioned by bid date with the Kafka partition and offset as columns', () => {
    const [bids, positions, ...rest] = tableDdl('hive', 'auction_bids');
    assert.equal(rest.length, 0);
    assert.match(bids ?? '', /^CREATE TABLE IF NOT EXISTS auction_bids \(/);
    assert.doesNotMatch(bids ?? '', /EXTERNAL/);
    assert.match(bids ?? '', /PARTITIONED BY \(bid_date STRING/);
    assert.match(bids ?? '', /kafka_partition\s+INT/);
    assert.match(bids ?? '', /kafka_offset\s+BIGINT/);
    assert.match(bids ?? '', /STORED AS ORC$/);
    assert.match(positions ?? '', /^CREATE TABLE IF NOT EXISTS auction_bids_positions \(/);
  });

  it('gives the PostgreSQL stand-in the same columns in the same order', () => {
    const columnsOf = (statement: string) =>
      [...statement.matchAll(/^\s+([a-z_]+)\s+[A-Z]/gm)].map((match) => match[1]).filter((c) => c !== 'bid_date');
    const [hiveBids] = tableDdl('hive', 'bids');
    const [pgBids] = tableDdl('postgresql', 'bids');
    assert.deepEqual(columnsOf(pgBids ?? ''), columnsOf(hiveBids ?? ''));
  });

  it('adds reset_generation and extra to a Hive table created without them, and leaves an up-to-date one alone', () => {
    const old = ['bid_id', 'item', 'name', 'price', 'bid_ts', 'kafka_partition', 'kafka_offset', 'bid_date'];
    assert.deepEqual(hiveColumnUpgrades('bids', old, ['topic', 'kafka_partition', 'next_offset', 'written_at']), [
      'ALTER TABLE bids ADD COLUMNS (reset_generation INT) CASCADE',
      'ALTER TABLE bids_positions ADD COLUMNS (reset_generation INT)',
      'ALTER TABLE bids ADD COLUMNS (extra STRING) CASCADE',
    ]);
    assert.deepEqual(hiveColumnUpgrades('bids', [...old, 'reset_generation'], ['reset_generation']), [
      'ALTER TABLE bids ADD COLUMNS (extra STRING) CASCADE',
    ]);
    assert.deepEqual(hiveColumnUpgrades('bids', [...old, 'reset_generation', 'extra'], ['reset_generation']), []);
  });

  it('splits a script at line-ending semicolons and drops comment lines', () => {
    assert.deepEqual(ddlStatements('-- note; here\nCREATE TABLE ${hivevar:table} (a INT);\n\nSELECT 1;\n', 't1'), [
      'CREATE TABLE t1 (a INT)',
      'SELECT 1',
    ]);
  });
});
