import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { runOperatorCommand } from '../support/operatorCommand';

/** The bids table as the Hive sink created it before the bid could carry fields beyond its columns. */
function tableBeforeExtra(name: string): string {
  return (
    `CREATE TABLE ${name} (bid_id VARCHAR(36) NOT NULL, item VARCHAR(100) NOT NULL, name VARCHAR(100) NOT NULL, ` +
    'price BIGINT NOT NULL, bid_ts TIMESTAMP(3) NOT NULL, kafka_partition INTEGER NOT NULL, ' +
    'kafka_offset BIGINT NOT NULL, reset_generation INTEGER NOT NULL DEFAULT 0, bid_date DATE NOT NULL)'
  );
}

async function columnsOf(hive: TestHiveTable, table: string): Promise<string[]> {
  const rows = await hive.connection.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}' ORDER BY column_name`,
  );
  return rows.map((row) => row.column_name);
}

describe('npm run migrate -- --hive, against the local ODBC data source', () => {
  let database: TestDatabase;
  let hive: TestHiveTable;

  before(async () => {
    database = await createTestDatabase('migrate_hive');
    hive = await createTestHiveTable('migrate_hive');
    await hive.connection.query(tableBeforeExtra(hive.name));
    await hive.connection.query(
      `INSERT INTO ${hive.name} (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, bid_date) ` +
        "VALUES ('5b0f3f7e-2a53-4a39-9c52-1f0c9b7f0a11', 'Oak dresser', 'Ada', 1200, '2026-11-23 10:00:00', 0, 0, '2026-11-23')",
    );
  });
  after(async () => {
    await hive?.drop();
    await database?.drop();
  });

  it('adds the columns a newer worker writes (extra) to a table made before them, before any worker starts, keeping its rows', async () => {
    assert.ok(!(await columnsOf(hive, hive.name)).includes('extra'), 'the table starts without extra');

    const result = await runOperatorCommand('scripts/migrate.js', ['--hive'], {
      MYSQL_URL: database.url,
      HIVE_TABLE: hive.name,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Hive tables up to date/);

    assert.ok((await columnsOf(hive, hive.name)).includes('extra'), 'extra added by migrate');
    assert.ok((await columnsOf(hive, `${hive.name}_positions`)).includes('next_offset'), 'positions table created');
    assert.equal(await hive.count(), 1, 'the rows already there are kept');

    const again = await runOperatorCommand('scripts/migrate.js', ['--hive'], {
      MYSQL_URL: database.url,
      HIVE_TABLE: hive.name,
    });
    assert.equal(again.code, 0, `a second run changes nothing and succeeds: ${again.stderr}`);
  });

  it('refuses an argument it does not know, naming the one it takes', async () => {
    const result = await runOperatorCommand('scripts/migrate.js', ['--hvie'], { MYSQL_URL: database.url });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /unknown argument --hvie; the only one is --hive/);
  });
});
