import odbc from 'odbc';
import { prepareTables } from './hiveDdl';
import type { HiveSettings } from './hiveSettings';
import { sessionSetup } from './hiveStatements';
import { describeOdbcError } from './odbcFailure';

/**
 * `npm run migrate -- --hive`: creates the Hive sink's tables from `sql/hive/`
 * or brings older ones up to date (new columns such as `extra`), through the
 * same ODBC connection and the same statements the worker uses, so a new
 * column exists before the worker that writes it starts. The worker still
 * runs the same idempotent step at start for deployments that skip it.
 */
export async function migrateHiveTables(settings: HiveSettings): Promise<void> {
  const { dialect, table } = settings;
  let db: odbc.Connection | undefined;
  try {
    db = await odbc.connect({ connectionString: settings.connectionString, loginTimeout: 10 });
    for (const sql of sessionSetup(dialect)) await db.query(sql);
    await prepareTables(db, dialect, table);
  } catch (error) {
    throw new Error(`cannot migrate the Hive tables over ODBC (${dialect}): ${describeOdbcError(error)}`, {
      cause: error,
    });
  } finally {
    await db?.close().catch(() => undefined);
  }
}
