import type mysql from 'mysql2/promise';

/** The MySQL tables a sink keeps its positions in, one row per group, topic and partition. */
export type PositionsTable = 'sink_offsets' | 'stats_positions';

/**
 * Each of these partitions' stored next offset for one consumer group, as
 * the MySQL sink (`sink_offsets`) or the statistics worker
 * (`stats_positions`) committed it with its rows; a partition never written
 * is absent from the answer.
 */
export async function readStoredPositions(
  db: mysql.Pool | mysql.PoolConnection,
  table: PositionsTable,
  place: { group: string; topic: string },
  partitions: readonly number[],
): Promise<Map<number, number>> {
  if (partitions.length === 0) return new Map();
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    `SELECT kafka_partition, next_offset FROM ${table} WHERE consumer_group = ? AND topic = ? AND kafka_partition IN (?)`,
    [place.group, place.topic, partitions],
  );
  return new Map(rows.map((row) => [Number(row.kafka_partition), Number(row.next_offset)]));
}
