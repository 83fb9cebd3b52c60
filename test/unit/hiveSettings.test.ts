import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../lib/env';
import { LOCAL_ODBC_CONNECTION_STRING, dialectImpliedBy, readHiveSettings } from '../../workers/hive/hiveSettings';
import { MAX_ROWS_PER_INSERT, bidInserts } from '../../workers/hive/hiveStatements';
import { sampleRecords } from '../support/sinkRecords';

function problemWith(env: Record<string, string>): ConfigError {
  try {
    readHiveSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('Hive sink settings', () => {
  it('default to the local PostgreSQL data source, its dialect, table bids and 1000 rows per INSERT', () => {
    assert.deepEqual(readHiveSettings({}), {
      connectionString: LOCAL_ODBC_CONNECTION_STRING,
      dialect: 'postgresql',
      table: 'bids',
      rowsPerInsert: 1000,
      transactional: true,
    });
  });

  it('make a batch one transaction only where the dialect has them, unless HIVE_TRANSACTIONS is off', () => {
    assert.equal(readHiveSettings({ HIVE_SQL_DIALECT: 'hive' }).transactional, false);
    assert.equal(readHiveSettings({ HIVE_TRANSACTIONS: 'off' }).transactional, false);
    assert.equal(readHiveSettings({ HIVE_TRANSACTIONS: 'AUTO' }).transactional, true);
    assert.match(problemWith({ HIVE_TRANSACTIONS: 'on' }).message, /^HIVE_TRANSACTIONS must be one of auto, off/);
  });

  it('take HiveQL for a Hive driver or a DSN, unless HIVE_SQL_DIALECT says otherwise', () => {
    assert.equal(dialectImpliedBy('Driver={Cloudera ODBC Driver for Apache Hive};Host=hs2;Port=10000;'), 'hive');
    assert.equal(dialectImpliedBy('DSN=warehouse'), 'hive');
    assert.equal(dialectImpliedBy('Driver=PostgreSQL Unicode;Server=db'), 'postgresql');
    const settings = readHiveSettings({ HIVE_ODBC_CONNECTION_STRING: 'DSN=warehouse', HIVE_SQL_DIALECT: 'PostgreSQL' });
    assert.equal(settings.dialect, 'postgresql');
    assert.equal(readHiveSettings({ HIVE_TABLE: 'analytics.bids' }).table, 'analytics.bids');
  });

  it('name the variable and the problem when a value is wrong', () => {
    assert.equal(
      problemWith({ HIVE_ODBC_CONNECTION_STRING: 'hive://warehouse:10000' }).variable,
      'HIVE_ODBC_CONNECTION_STRING',
    );
    assert.equal(problemWith({ HIVE_ODBC_CONNECTION_STRING: '  ' }).variable, 'HIVE_ODBC_CONNECTION_STRING');
    assert.match(
      problemWith({ HIVE_SQL_DIALECT: 'oracle' }).message,
      /HIVE_SQL_DIALECT must be one of hive, postgresql/,
    );
    assert.match(problemWith({ HIVE_TABLE: 'bids; DROP TABLE x' }).message, /^HIVE_TABLE must be a table name/);
    assert.equal(problemWith({ HIVE_TABLE: '1bids' }).variable, 'HIVE_TABLE');
    assert.equal(problemWith({ HIVE_ROWS_PER_INSERT: '0' }).variable, 'HIVE_ROWS_PER_INSERT');
  });

  it('write 3,000 bids per INSERT on HiveServer2, whose every statement is a job of seconds', () => {
    assert.equal(readHiveSettings({ HIVE_SQL_DIALECT: 'hive' }).rowsPerInsert, 3000);
    assert.equal(readHiveSettings({ HIVE_SQL_DIALECT: 'hive', HIVE_ROWS_PER_INSERT: '250' }).rowsPerInsert, 250);
  });

  it('refuse more bids per INSERT than ODBC can count parameters of (32,767)', () => {
    assert.equal(MAX_ROWS_PER_INSERT, 3276);
    const [widest] = bidInserts('hive', 'bids', sampleRecords(0, MAX_ROWS_PER_INSERT), MAX_ROWS_PER_INSERT, 0);
    assert.ok(widest!.params.length <= 32_767, `${widest!.params.length} parameters`);
    assert.equal(readHiveSettings({ HIVE_ROWS_PER_INSERT: '3276' }).rowsPerInsert, 3276);
    assert.match(
      problemWith({ HIVE_ROWS_PER_INSERT: '3277' }).message,
      /^HIVE_ROWS_PER_INSERT must be between 1 and 3276, got 3277/,
    );
  });
});
