import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { RowDataPacket } from 'mysql2/promise';
import type { Bid } from '../../lib/bid/bid';
import { restoreNeutralised } from '../../workers/csv/neutraliseFormula';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { waitFor } from '../support/service';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

/**
 * The whole product at once: bids posted through the JSON API of the built
 * web app reach MySQL, the CSV export and the ODBC ("Hive") table through the
 * three separately running workers, each exactly once and unchanged.
 */

const BID_COUNT = 2_000;
const CONCURRENCY = 32;

interface AcceptedBid extends Bid {
  kafka: { topic: string; partition: number; offset: number };
}

/** Names that must arrive intact in the databases and harmless in the CSV file. */
const TRICKY_NAMES = [
  '=HYPERLINK("http://x","y")',
  "Robert'); DROP TABLE bids;--",
  'Zoë "the bidder", Jr.',
  '+1 caller',
];

function bidRequest(index: number): { item: string; name: string; price: number } {
  return {
    item: `lot-${index % 25}`,
    name: TRICKY_NAMES[index % 50] ?? `bidder ${index}`,
    price: 1 + ((index * 7919) % 100_000),
  };
}

/** `2026-11-23 06:00:00.123` (MySQL, PostgreSQL) or RFC 3339, to epoch milliseconds. */
function instantOf(value: unknown): number {
  const text = value instanceof Date ? value.toISOString() : String(value);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

function assertSameBid(stored: Record<string, unknown>, accepted: AcceptedBid, store: string): void {
  const where = `${store}, bid ${accepted.bid_id}`;
  assert.equal(stored.item, accepted.item, `${where}: item`);
  assert.equal(stored.name, accepted.name, `${where}: name`);
  assert.equal(Number(stored.price), accepted.price, `${where}: price`);
  assert.equal(instantOf(stored.bid_ts), Date.parse(accepted.bid_ts), `${where}: bid_ts`);
  assert.equal(Number(stored.kafka_partition), accepted.kafka.partition, `${where}: partition`);
  assert.equal(Number(stored.kafka_offset), accepted.kafka.offset, `${where}: offset`);
}

describe('bids posted through the API reach every store exactly once', { timeout: 600_000 }, () => {
  const runId = randomUUID().slice(0, 8);
  const folder = mkdtempSync(path.join(tmpdir(), 'auction-e2e-'));
  const csvPath = path.join(folder, 'bids.csv');
  const workers: SinkWorkerProcess[] = [];
  let web: WebAppUnderTest | undefined;
  let topic = '';
  let deadLetterTopic = '';
  let database: TestDatabase;
  let hiveTable: TestHiveTable;
  let baseUrl = '';
  const accepted = new Map<string, AcceptedBid>();

  before(async () => {
    topic = await createTestTopic('e2e');
    deadLetterTopic = await createTestTopic('e2e-dlq');
    database = await createTestDatabase('e2e');
    hiveTable = await createTestHiveTable('e2e_bids');
    const shared = { KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: deadLetterTopic, MYSQL_URL: database.url };
    workers.push(
      new SinkWorkerProcess('mysql', { ...shared, SINK_CONSUMER_GROUP: `e2e-mysql-${runId}` }),
      new SinkWorkerProcess('csv', { ...shared, SINK_CONSUMER_GROUP: `e2e-csv-${runId}`, CSV_PATH: csvPath }),
      new SinkWorkerProcess('hive', {
        ...shared,
        SINK_CONSUMER_GROUP: `e2e-hive-${runId}`,
        HIVE_TABLE: hiveTable.name,
        SINK_BATCH_LINGER_MS: '500',
      }),
    );
    web = await startWebApp({ ...shared, BID_RATE_LIMIT_PER_MINUTE: '1000000' });
    baseUrl = web.baseUrl;
  });

  after(async () => {
    await Promise.all([web?.stop(), ...workers.map((worker) => worker.stop())]);
    await hiveTable?.drop();
    await database?.drop();
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    rmSync(folder, { recursive: true, force: true });
  });

  it(`accepts ${BID_COUNT} bids through POST /api/bids, each acknowledged by Kafka`, async () => {
    let next = 0;
    const post = async (): Promise<void> => {
      while (next < BID_COUNT) {
        const index = next++;
        const response = await fetch(`${baseUrl}/api/bids`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(bidRequest(index)),
        });
        const body = (await response.json()) as AcceptedBid;
        assert.equal(response.status, 201, JSON.stringify(body));
        assert.equal(body.kafka.topic, topic);
        accepted.set(body.bid_id, body);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, post));
    assert.equal(accepted.size, BID_COUNT, 'every bid got its own id');
  });

  it('MySQL holds every accepted bid once, every field equal', async () => {
    const rows = await waitFor(
      `${BID_COUNT} rows in MySQL`,
      async () => {
        const [found] = await database.pool.query<RowDataPacket[]>('SELECT * FROM bids');
        return found.length >= BID_COUNT ? found : undefined;
      },
      180_000,
      1_000,
    );
    assert.equal(rows.length, BID_COUNT, 'no bid written twice');
    for (const row of rows) assertSameBid(row, accepted.get(String(row.bid_id))!, 'MySQL');
  });

  it('the CSV export parses cleanly with one header and every accepted bid once, formulas neutralised', async () => {
    const records = await waitFor(
      `${BID_COUNT} rows in the CSV file`,
      () => {
        const parsed = parse(readFileSync(csvPath), { columns: true }) as Record<string, string>[];
        return parsed.length >= BID_COUNT ? parsed : undefined;
      },
      180_000,
      1_000,
    );
    assert.equal(records.length, BID_COUNT, 'no bid written twice, no second header');
    const seen = new Set<string>();
    for (const record of records) {
      const bid = accepted.get(String(record.bid_id));
      assert.ok(bid, `unknown bid ${record.bid_id}`);
      seen.add(bid.bid_id);
      for (const cell of Object.values(record))
        assert.doesNotMatch(cell, /^[=+\-@\t\r]/, 'no cell a spreadsheet would run');
      assertSameBid(
        { ...record, item: restoreNeutralised(String(record.item)), name: restoreNeutralised(String(record.name)) },
        bid,
        'CSV',
      );
    }
    assert.equal(seen.size, BID_COUNT);
  });

  it('the ODBC table holds every accepted bid once, every field equal', async () => {
    const { connection, name } = hiveTable;
    const rows = await waitFor(
      `${BID_COUNT} rows in the ODBC table`,
      async () => {
        const found = await connection.query<Record<string, unknown>>(`SELECT * FROM ${name}`);
        return found.length >= BID_COUNT ? found : undefined;
      },
      180_000,
      1_000,
    );
    assert.equal(rows.length, BID_COUNT, 'no bid written twice');
    for (const row of rows) assertSameBid(row, accepted.get(String(row.bid_id))!, 'ODBC');
  });

  it('the highest bid from the API agrees with ORDER BY price DESC in MySQL', async () => {
    const [rows] = await database.pool.query<RowDataPacket[]>(
      'SELECT bid_id FROM bids ORDER BY price DESC, bid_ts ASC, bid_id ASC LIMIT 1',
    );
    const response = await fetch(`${baseUrl}/api/highest`);
    assert.equal(response.status, 200);
    const highest = (await response.json()) as { bid_id: string };
    assert.equal(highest.bid_id, rows[0]?.bid_id);
  });
});
