import odbc from 'odbc';
import type { HiveSettings } from './hiveSettings';
import type { PositionStore } from '../reset/positionStore';
import { prepareTables } from './hiveDdl';
import { positionsInsert, sessionSetup } from './hiveStatements';
import { readResumeState } from './resumeState';
import { describeOdbcError } from './odbcFailure';

/**
 * The Hive sink's positions, for `sink:reset`. A reset appends one row per
 * partition to `<table>_positions` in a new reset generation; the sink then
 * counts only what belongs to that generation (`resumePositions`), so the
 * reset holds even where the table has bids of higher offsets from before
 * it. One multi-row INSERT: Hive writes it as one file, all or nothing.
 */
export async function openHivePositions(settings: HiveSettings): Promise<PositionStore> {
  const { dialect, table } = settings;
  let db: odbc.Connection | undefined;

  async function odbcCall<T>(work: (connection: odbc.Connection) => Promise<T>): Promise<T> {
    try {
      if (!db) throw new Error('the positions store is closed');
      return await work(db);
    } catch (error) {
      throw new Error(`ODBC (${dialect}): ${describeOdbcError(error)}`, { cause: error });
    }
  }

  try {
    db = await odbc.connect({ connectionString: settings.connectionString, loginTimeout: 10 });
    for (const sql of sessionSetup(dialect)) await db.query(sql);
    await prepareTables(db, dialect, table);
  } catch (error) {
    await db?.close().catch(() => undefined);
    throw new Error(`ODBC (${dialect}): ${describeOdbcError(error)}`, { cause: error });
  }

  return {
    read(topic, partitions) {
      return odbcCall(async (connection) => {
        return (await readResumeState(connection, dialect, table, topic, partitions)).positions;
      });
    },

    write(topic, positions) {
      return odbcCall(async (connection) => {
        const { generation } = await readResumeState(connection, dialect, table, topic, []);
        const marker = positionsInsert(dialect, table, topic, positions, new Date(), generation + 1);
        if (marker) await connection.query(marker.sql, marker.params);
      });
    },

    async excludeWriters() {
      return undefined;
    },

    async close() {
      await db?.close();
      db = undefined;
    },
  };
}
