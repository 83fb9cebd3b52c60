import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { RowDataPacket } from 'mysql2/promise';
import { CSV_COLUMNS } from '../../workers/csv/csvFormat';
import { bidSchemaV2, builtProjectWithBidSchema, type BidV2 } from '../support/bidSchemaVersion';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { readTopic } from '../support/readTopic';
import { TestSubjects } from '../support/registrySubjects';
import { waitFor } from '../support/service';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

/**
 * A rolling upgrade of the bid from version 1 to version 2 (one added
 * optional field, `currency`), against the real stack, in both orders:
 * version-2 bids produced while the three workers still run version 1, then
 * the workers moved to version 2 while version-1 bids are still on the topic
 * and both web apps keep producing. Nothing is dead-lettered, every bid is in
 * every store exactly once, and the new field is kept wherever the store has
 * a place for it: MySQL's and Hive's `extra`, and the CSV column of the file
 * the version-2 worker starts.
 */

const WORKERS = ['mysql', 'csv', 'hive'] as const;
const PER_ROUND = 12;

interface AcceptedBid extends BidV2 {
  kafka: { topic: string; partition: number; offset: number };
}

/** `2026-11-23 06:00:00.123` (MySQL, PostgreSQL) or RFC 3339, to epoch milliseconds. */
function instantOf(value: unknown): number {
  const text = value instanceof Date ? value.toISOString() : String(value);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/** A SQL `extra` cell as an object: MariaDB hands JSON back as text, MySQL 8 parsed; NULL is no field. */
function extraOf(cell: unknown): Record<string, unknown> {
  if (cell === null || cell === undefined) return {};
  return (typeof cell === 'string' ? JSON.parse(cell) : cell) as Record<string, unknown>;
}

describe('a rolling upgrade of the bid schema with bids flowing, against the real stack', { timeout: 600_000 }, () => {
  const runId = randomUUID().slice(0, 8);
  const subjects = new TestSubjects();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'auction-rolling-'));
  const csvPath = path.join(folder, 'bids.csv');
  const version2 = builtProjectWithBidSchema(bidSchemaV2);
  const accepted = new Map<string, AcceptedBid>();
  const workers: SinkWorkerProcess[] = [];
  let shared: Record<string, string>;
  let topic = '';
  let deadLetterTopic = '';
  let database: TestDatabase;
  let hiveTable: TestHiveTable;
  let webV1: WebAppUnderTest | undefined;
  let webV2: WebAppUnderTest | undefined;
  /** The bids every store must hold once the v1 workers have stopped: the old CSV file's rows. */
  let storedByV1Workers: string[] = [];

  function startWorkers(root?: string): SinkWorkerProcess[] {
    const started = WORKERS.map(
      (worker) =>
        new SinkWorkerProcess(
          worker,
          {
            ...shared,
            SINK_CONSUMER_GROUP: `rolling-${worker}-${runId}`,
            CSV_PATH: csvPath,
            HIVE_TABLE: hiveTable.name,
            SINK_BATCH_LINGER_MS: '200',
          },
          root,
        ),
    );
    workers.push(...started);
    return started;
  }

  /** Posts `count` bids through a web app; version-2 bids carry a currency. */
  async function postBids(web: WebAppUnderTest, count: number, withCurrency: boolean): Promise<void> {
    for (let i = 0; i < count; i++) {
      const request: Record<string, unknown> = {
        item: `lot ${i % 4}`,
        name: withCurrency ? `bidder v2 ${i}` : `bidder v1 ${i}`,
        price: 1 + accepted.size,
        ...(withCurrency ? { currency: ['EUR', 'GBP', 'CHF'][i % 3] } : {}),
      };
      const response = await fetch(`${web.baseUrl}/api/bids`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as AcceptedBid;
      assert.equal(response.status, 201, JSON.stringify(body));
      assert.equal(body.currency, request.currency, 'the web app keeps exactly what its version allows');
      accepted.set(body.bid_id, body);
    }
  }

  /** Both versions producing at once. */
  function postBothVersions(): Promise<void> {
    return Promise.all([postBids(webV1!, PER_ROUND, false), postBids(webV2!, PER_ROUND, true)]).then(() => undefined);
  }

  async function mysqlRows(): Promise<RowDataPacket[]> {
    const [rows] = await database.pool.query<RowDataPacket[]>('SELECT * FROM bids');
    return rows;
  }

  async function hiveRows(): Promise<Record<string, unknown>[]> {
    return (await hiveTable.connection.query<Record<string, unknown>>(`SELECT * FROM ${hiveTable.name}`)).map(
      (row) => ({ ...row }),
    );
  }

  /** The CSV files of the export, oldest first: bids.csv, then the files started after it. */
  function csvFiles(): string[] {
    const later = fs
      .readdirSync(folder)
      .filter((name) => /^bids\.\d{8}T\d{6}Z(-\d+)?\.csv$/.test(name))
      .sort();
    return [csvPath, ...later.map((name) => path.join(folder, name))].filter((file) => fs.existsSync(file));
  }

  /** A file's header and rows, parsed strictly (a torn quote or a row of another width fails). */
  function readCsvFile(file: string): { header: string[]; rows: Record<string, string>[] } {
    const text = fs.readFileSync(file, 'utf8');
    const [header] = parse(text.slice(0, text.indexOf('\r\n') + 2), { record_delimiter: '\r\n' }) as string[][];
    const rows = parse(text, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
    return { header: header ?? [], rows };
  }

  async function waitForEveryStore(count: number): Promise<void> {
    await waitFor(
      `${count} bids in MySQL`,
      async () => ((await mysqlRows()).length >= count ? true : undefined),
      180_000,
      500,
    );
    await waitFor(
      `${count} bids in Hive`,
      async () => ((await hiveTable.count()) >= count ? true : undefined),
      180_000,
      500,
    );
    await waitFor(
      `${count} bids in the CSV export`,
      () => (csvFiles().reduce((sum, file) => sum + readCsvFile(file).rows.length, 0) >= count ? true : undefined),
      180_000,
      500,
    );
  }

  before(async () => {
    topic = await createTestTopic('rolling');
    deadLetterTopic = await createTestTopic('rolling-dlq', 1);
    database = await createTestDatabase('rolling');
    hiveTable = await createTestHiveTable('rolling_bids');
    shared = {
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: deadLetterTopic,
      MYSQL_URL: database.url,
      SCHEMA_REGISTRY_SUBJECT: subjects.fresh('rolling-bids'),
      BID_RATE_LIMIT_PER_MINUTE: '1000000',
    };
  });

  after(async () => {
    await Promise.all([webV1?.stop(), webV2?.stop(), ...workers.map((worker) => worker.stop())]);
    await hiveTable?.drop();
    await database?.drop();
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    await subjects.remove();
    version2.remove();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('writers first: version-2 bids from an upgraded web app are stored by the version-1 workers, currency kept in MySQL and Hive', async () => {
    startWorkers();
    webV1 = await startWebApp(shared);
    await postBids(webV1, PER_ROUND, false);
    webV2 = await startWebApp(shared, version2.root);
    const versions = await (
      await subjects.request('GET', `/subjects/${shared.SCHEMA_REGISTRY_SUBJECT}/versions`)
    ).json();
    assert.deepEqual(versions, [1, 2], 'the upgraded web app registered version 2');
    await postBothVersions();
    await waitForEveryStore(accepted.size);

    const v2Bids = [...accepted.values()].filter((bid) => bid.currency !== undefined);
    assert.equal(v2Bids.length, PER_ROUND);
    const mysqlExtra = new Map((await mysqlRows()).map((row) => [String(row.bid_id), extraOf(row.extra)]));
    const hiveExtra = new Map((await hiveRows()).map((row) => [String(row.bid_id), extraOf(row.extra)]));
    for (const bid of accepted.values()) {
      const expected = bid.currency === undefined ? {} : { currency: bid.currency };
      assert.deepEqual(mysqlExtra.get(bid.bid_id), expected, `MySQL extra of ${bid.bid_id}`);
      assert.deepEqual(hiveExtra.get(bid.bid_id), expected, `Hive extra of ${bid.bid_id}`);
    }
    const csvWorker = workers.find((worker) => worker.lines.some((line) => line.msg === 'CSV export ready'));
    const note = csvWorker?.lines.filter((line) => /does not know/.test(line.msg ?? '')) ?? [];
    assert.equal(note.length, 1, 'the version-1 CSV worker says once that currency is left out of its file');
    assert.equal(note[0]?.field, 'currency');
  });

  it('readers second: the workers move to version 2 while version-1 and version-2 bids are on the topic and still arriving', async () => {
    const v1Workers = workers.splice(0);
    await Promise.all(v1Workers.map((worker) => worker.stop()));
    for (const worker of v1Workers) assert.equal(worker.hasExited, true);
    storedByV1Workers = [...accepted.keys()];
    // Produced while no worker runs: waiting on the topic for version 2.
    await postBothVersions();
    startWorkers(version2.root);
    await postBothVersions();
    await waitForEveryStore(accepted.size);
  });

  it('every bid is in MySQL and Hive exactly once, unchanged, with its currency in extra', async () => {
    for (const [store, rows] of [
      ['MySQL', await mysqlRows()],
      ['Hive', await hiveRows()],
    ] as const) {
      assert.equal(rows.length, accepted.size, `${store}: no bid twice`);
      assert.deepEqual(new Set(rows.map((row) => String(row.bid_id))), new Set(accepted.keys()), `${store}: every bid`);
      for (const row of rows) {
        const bid = accepted.get(String(row.bid_id))!;
        const where = `${store}, bid ${bid.bid_id}`;
        assert.equal(row.item, bid.item, where);
        assert.equal(row.name, bid.name, where);
        assert.equal(Number(row.price), bid.price, where);
        assert.equal(instantOf(row.bid_ts), Date.parse(bid.bid_ts), where);
        assert.equal(Number(row.kafka_offset), bid.kafka.offset, where);
        assert.deepEqual(extraOf(row.extra), bid.currency === undefined ? {} : { currency: bid.currency }, where);
      }
    }
  });

  it('the CSV export: the old file stays valid with one header; the new file has the currency column; every bid once', () => {
    const files = csvFiles();
    assert.equal(files.length, 2, `bids.csv and one file started by the version-2 worker: ${files.join(', ')}`);
    const [oldFile, newFile] = files.map(readCsvFile);
    assert.deepEqual(oldFile!.header, [...CSV_COLUMNS], 'the old file keeps its columns');
    assert.deepEqual(newFile!.header, [...CSV_COLUMNS, 'currency'], 'the new file adds currency at the end');
    for (const file of [oldFile!, newFile!]) {
      assert.equal(file.rows.filter((row) => row.bid_id === 'bid_id').length, 0, 'one header per file');
    }
    assert.deepEqual(
      oldFile!.rows.map((row) => row.bid_id).sort(),
      [...storedByV1Workers].sort(),
      'the old file holds what the version-1 worker stored, and was not written after',
    );
    const all = [...oldFile!.rows, ...newFile!.rows];
    assert.equal(all.length, accepted.size, 'no bid twice across the files');
    assert.deepEqual(new Set(all.map((row) => row.bid_id)), new Set(accepted.keys()), 'every bid');
    for (const row of newFile!.rows) {
      const bid = accepted.get(row.bid_id!)!;
      assert.equal(row.currency, bid.currency ?? '', `currency of ${bid.bid_id}: empty for a version-1 bid`);
      assert.equal(Number(row.kafka_offset), bid.kafka.offset);
    }
    assert.ok(
      newFile!.rows.some((row) => row.currency === '') && newFile!.rows.some((row) => row.currency !== ''),
      'the new file holds bids of both versions',
    );
  });

  it('dead-letters nothing', async () => {
    assert.deepEqual(await readTopic(deadLetterTopic, 1, 5_000), []);
  });
});
