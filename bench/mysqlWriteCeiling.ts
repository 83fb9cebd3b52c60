import { toSqlTimestamp } from '../lib/sqlTimestamp';
import { createTestDatabase } from '../test/support/mysqlDatabase';
import type { Throughput } from './benchResult';
import { timeChunkedWrites } from './ceilingRecords';

/** Rows per INSERT: large enough that a round trip is a small part of it, well inside max_allowed_packet. */
const ROWS_PER_INSERT = 5_000;

/**
 * The MySQL store ceiling: `records` bids written into a fresh, migrated
 * database on the same server (the same `bids` table and indexes) with plain
 * multi-row INSERTs of 5,000 rows, each committed on its own, on one
 * connection. No offsets, no Kafka. The database is dropped afterwards.
 */
export async function measureMysqlWriteCeiling(
  records: number,
  onProgress: (written: number) => void,
): Promise<Throughput> {
  const database = await createTestDatabase('bench_ceiling');
  try {
    const connection = await database.pool.getConnection();
    try {
      return await timeChunkedWrites(
        records,
        ROWS_PER_INSERT,
        async (rows) => {
          const values: (string | number)[] = [];
          for (const { bid, partition, offset } of rows) {
            values.push(bid.bid_id, bid.item, bid.name, bid.price, toSqlTimestamp(bid.bid_ts), partition, offset);
          }
          await connection.query(
            'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES ' +
              rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', '),
            values,
          );
        },
        onProgress,
      );
    } finally {
      connection.release();
    }
  } finally {
    await database.drop();
  }
}
