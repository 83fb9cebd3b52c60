import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { BuiltProgram } from '../support/builtProgram';
import { readCsvRows } from '../support/csvBids';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { freePort, waitFor } from '../support/service';

describe('npm start', { timeout: 240_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let table: TestHiveTable;
  const folder = mkdtempSync(path.join(tmpdir(), 'start-'));
  before(async () => {
    topic = await createTestTopic('start');
    database = await createTestDatabase('start');
    table = await createTestHiveTable('start_bids');
  });
  after(async () => {
    await table.drop();
    await database.drop();
    await deleteTestTopic(topic);
    rmSync(folder, { recursive: true, force: true });
  });

  const SINK_WORKERS = ['mysql-sink', 'csv-sink', 'hive-sink', 'stats-sink'];

  it('runs the web app and every sink worker with prefixed logs, carries a bid to every store, and stops them all on Ctrl-C', async () => {
    const port = await freePort();
    const csvPath = path.join(folder, 'bids.csv');
    const start = new BuiltProgram('scripts/start.js', {
      PORT: String(port),
      KAFKA_TOPIC: topic,
      MYSQL_URL: database.url,
      CSV_PATH: csvPath,
      HIVE_TABLE: table.name,
      SINK_BATCH_LINGER_MS: '100',
    });
    // start.js prints each program's lines as `name | line`: plain text, not JSON.
    const output = (): string[] => start.lines.map((line) => line.msg ?? '');
    try {
      const baseUrl = `http://127.0.0.1:${port}`;
      await waitFor(
        'the web app to be ready',
        async () => ((await fetch(`${baseUrl}/readyz`)).ok ? true : undefined),
        120_000,
      );
      const placed = await fetch(`${baseUrl}/api/bids`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ item: 'Art deco lamp', name: 'Frances', price: 640 }),
      });
      assert.equal(placed.status, 201);
      await waitFor('the bid in MySQL', async () => ((await countMysqlBids(database.pool)) === 1 ? true : undefined));
      await waitFor('the bid in the CSV file', () => (readCsvRows(csvPath).length === 1 ? true : undefined));
      await waitFor('the bid in the ODBC table', async () => ((await table.count()) === 1 ? true : undefined));
      await waitFor('the bid in the statistics', async () => {
        const [rows] = await database.pool.query<RowDataPacket[]>(
          "SELECT SUM(bids) AS bids FROM bid_windows WHERE window_seconds = 3 AND item = 'Art deco lamp'",
        );
        return Number(rows[0]?.bids) === 1 ? true : undefined;
      });

      for (const name of ['web', ...SINK_WORKERS]) {
        assert.ok(
          output().some((line) => line.startsWith(`${name.padEnd(10)} | `)),
          `${name} logs with its prefix`,
        );
      }
    } finally {
      start.kill('SIGINT');
    }
    const { code } = await start.exit(60_000);
    assert.equal(code, 0, output().slice(-20).join('\n'));
    assert.ok(output().some((line) => /web +\| .*"msg":"stopped"/.test(line)));
    for (const name of SINK_WORKERS) {
      assert.ok(
        output().some(
          (line) => line.startsWith(`${name.padEnd(10)} | `) && line.includes('"msg":"sink worker stopped"'),
        ),
        `${name} stopped gracefully`,
      );
    }
  });
});
