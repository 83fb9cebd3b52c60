import { loadEnv } from '../lib/env';
import { createTestHiveTable } from '../test/support/hiveBids';
import { prepareTables } from '../workers/hive/hiveDdl';
import { readHiveSettings } from '../workers/hive/hiveSettings';
import { bidInserts, sessionSetup } from '../workers/hive/hiveStatements';
import type { Throughput } from './benchResult';
import { timeChunkedWrites } from './ceilingRecords';

/** Rows per timed chunk, as the Hive sink's batches. */
const ROWS_PER_CHUNK = 10_000;

/**
 * The ODBC store ceiling: `records` bids written into a fresh table of the
 * same shape, through the same ODBC driver and data source the Hive sink
 * uses, as parameterised multi-row INSERTs of HIVE_ROWS_PER_INSERT rows
 * (1,000 by default), each committed on its own. No positions, no Kafka.
 * The table is dropped afterwards.
 */
export async function measureOdbcWriteCeiling(
  records: number,
  onProgress: (written: number) => void,
): Promise<Throughput> {
  const settings = readHiveSettings(loadEnv());
  const table = await createTestHiveTable('bench_ceiling');
  try {
    const db = table.connection;
    for (const sql of sessionSetup(settings.dialect)) await db.query(sql);
    await prepareTables(db, settings.dialect, table.name);
    return await timeChunkedWrites(
      records,
      ROWS_PER_CHUNK,
      async (rows) => {
        for (const statement of bidInserts(settings.dialect, table.name, rows, settings.rowsPerInsert, 0)) {
          await db.query(statement.sql, statement.params);
        }
      },
      onProgress,
    );
  } finally {
    await table.drop();
  }
}
