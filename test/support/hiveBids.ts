import { randomUUID } from 'node:crypto';
import odbc from 'odbc';
import type { Bid } from '../../lib/bid/bid';
import { loadEnv } from '../../lib/env';
import { readHiveSettings } from '../../workers/hive/hiveSettings';
import { bidFromSqlRow } from '../../lib/bid/bidFromSqlRow';

/** A table of its own in the ODBC data source the Hive worker writes to, dropped by `drop`. */
export interface TestHiveTable {
  /** The table name, for HIVE_TABLE. */
  name: string;
  connection: odbc.Connection;
  readBids(): Promise<Bid[]>;
  count(): Promise<number>;
  drop(): Promise<void>;
}

/** Opens the configured (by default the local) ODBC data source and picks a fresh table name. */
export async function createTestHiveTable(prefix = 'test_bids'): Promise<TestHiveTable> {
  const settings = readHiveSettings(loadEnv());
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const connection = await odbc.connect(settings.connectionString);
  return {
    name,
    connection,
    async readBids() {
      const rows = await connection.query<Record<string, unknown>>(
        `SELECT bid_id, item, name, price, bid_ts FROM ${name}`,
      );
      return rows.map(bidFromSqlRow);
    },
    async count() {
      try {
        const rows = await connection.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${name}`);
        return Number(rows[0]?.n ?? 0);
      } catch {
        return 0; // the worker has not created its table yet
      }
    },
    async drop() {
      await connection.query(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
      await connection.query(`DROP TABLE IF EXISTS ${name}_positions`).catch(() => undefined);
      await connection.close();
    },
  };
}
