import { ConfigError, choiceSetting, integerSetting, stringSetting, type Env } from '../../lib/env';
import { MAX_ROWS_PER_INSERT } from './hiveStatements';

/**
 * The SQL the sink speaks: `hive` for HiveServer2 (through the Cloudera or
 * Simba Hive ODBC driver), `postgresql` for the local psqlODBC data source
 * that stands in its place on a development machine.
 */
export type HiveSqlDialect = 'hive' | 'postgresql';

export const HIVE_SQL_DIALECTS: readonly HiveSqlDialect[] = ['hive', 'postgresql'];

/**
 * Whether a batch is one transaction: `auto` uses the driver's transactions
 * where the dialect has them (postgresql) and none for hive; `off` runs the
 * statements one after another with autocommit, as on an ODBC source without
 * transactions (and so the local source can show how the sink copes there).
 */
export type HiveTransactions = 'auto' | 'off';

export const HIVE_TRANSACTION_CHOICES: readonly HiveTransactions[] = ['auto', 'off'];

export interface HiveSettings {
  /** The ODBC connection string: `DSN=…` or `Driver={…};Host=…;…`. Never logged: it may hold a password. */
  connectionString: string;
  dialect: HiveSqlDialect;
  /** The bids table (optionally `database.table`); its positions table is `<table>_positions`. */
  table: string;
  /** Bids per INSERT statement; a batch larger than this is written as several statements. */
  rowsPerInsert: number;
  /** A batch is one transaction (postgresql with HIVE_TRANSACTIONS=auto) or a run of autocommitted statements. */
  transactional: boolean;
}

/**
 * Bids per INSERT when HIVE_ROWS_PER_INSERT is unset. HiveServer2 runs each
 * INSERT as a job that costs seconds whatever its size (4.0.1, local
 * execution: 1 row 4 to 6 s, 1,000 rows 6 to 25 s, 3,000 rows about 12 s),
 * so the hive dialect takes nearly the most ODBC allows (MAX_ROWS_PER_INSERT):
 * a full batch of 10,000 is four statements. PostgreSQL pays per row, not
 * per statement.
 */
export const DEFAULT_ROWS_PER_INSERT: Readonly<Record<HiveSqlDialect, number>> = { hive: 3000, postgresql: 1000 };

/** The local data source `npm run stack:up` prepares: PostgreSQL through psqlODBC. */
export const LOCAL_ODBC_CONNECTION_STRING =
  'Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Database=auction_analytics;Uid=postgres;';

/** `bids`, `analytics.bids`: letters, digits and underscores, so the name can go into SQL unquoted. */
const TABLE_NAME = /^(?:[A-Za-z_][A-Za-z0-9_]{0,63}\.)?[A-Za-z_][A-Za-z0-9_]{0,53}$/;

/**
 * The dialect a connection string implies when HIVE_SQL_DIALECT is unset:
 * a PostgreSQL driver means `postgresql`, anything else (a Hive driver, a DSN)
 * means `hive`.
 */
export function dialectImpliedBy(connectionString: string): HiveSqlDialect {
  const driver = /(?:^|;)\s*Driver\s*=\s*\{?([^;}]*)/i.exec(connectionString)?.[1] ?? '';
  return /postgres|psql/i.test(driver) ? 'postgresql' : 'hive';
}

/** Reads and checks HIVE_ODBC_CONNECTION_STRING, HIVE_SQL_DIALECT, HIVE_TABLE, HIVE_ROWS_PER_INSERT and HIVE_TRANSACTIONS. */
export function readHiveSettings(env: Env): HiveSettings {
  const connectionString = stringSetting(env, 'HIVE_ODBC_CONNECTION_STRING', LOCAL_ODBC_CONNECTION_STRING);
  if (!/^\s*(DSN|Driver|FILEDSN)\s*=/i.test(connectionString)) {
    throw new ConfigError(
      'HIVE_ODBC_CONNECTION_STRING',
      'must start with DSN=… or Driver={…}; (an ODBC connection string, e.g. Driver={Cloudera ODBC Driver for Apache Hive};Host=…;Port=10000;…)',
    );
  }
  const dialect = choiceSetting(env, 'HIVE_SQL_DIALECT', HIVE_SQL_DIALECTS, dialectImpliedBy(connectionString));
  const table = stringSetting(env, 'HIVE_TABLE', 'bids');
  if (!TABLE_NAME.test(table)) {
    throw new ConfigError(
      'HIVE_TABLE',
      `must be a table name of letters, digits and underscores (optionally database.table, at most 54 characters for the table), got "${table}"`,
    );
  }
  const rowsPerInsert = integerSetting(env, 'HIVE_ROWS_PER_INSERT', DEFAULT_ROWS_PER_INSERT[dialect], {
    min: 1,
    max: MAX_ROWS_PER_INSERT,
  });
  const transactions = choiceSetting(env, 'HIVE_TRANSACTIONS', HIVE_TRANSACTION_CHOICES, 'auto');
  const transactional = transactions === 'auto' && dialect === 'postgresql';
  return { connectionString, dialect, table, rowsPerInsert, transactional };
}
