import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../lib/env';
import { LOCAL_ODBC_CONNECTION_STRING, dialectImpliedBy, readHiveSettings } from '../../workers/hive/hiveSettings';
import { isTransientOdbcError } from '../../workers/hive/transientOdbcError';

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
    });
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
});

describe('ODBC errors worth waiting out', () => {
  const withStates = (...states: string[]) =>
    Object.assign(new Error('[odbc] Error'), { odbcErrors: states.map((state) => ({ state, code: 0, message: '' })) });

  it('are lost or refused connections, timeouts, server shutdowns and lost races', () => {
    for (const state of ['08001', '08S01', '08006', 'HYT00', '57P01', '40001', '40P01']) {
      assert.equal(isTransientOdbcError(withStates(state)), true, state);
    }
  });

  it('are not syntax errors, missing tables or permissions', () => {
    for (const state of ['42601', '42P01', '42501', 'HY000', '22001']) {
      assert.equal(isTransientOdbcError(withStates(state)), false, state);
    }
    assert.equal(isTransientOdbcError(new Error('plain')), false);
  });
});
