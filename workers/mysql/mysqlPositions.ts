import type mysql from 'mysql2/promise';
import { createMysqlPool, pingMysql } from '../../lib/mysql/pool';
import type { MysqlSettings } from '../../lib/mysql/settings';
import type { PositionStore } from '../reset/positionStore';
import { readStoredPositions } from './storedPositions';

/**
 * The MySQL sink's `sink_offsets` rows of one consumer group, for
 * `sink:reset`. Unlike the sink, which only moves a position forward (a
 * worker that lost its partitions must not rewind the new owner), a reset
 * sets it to exactly what the operator asked for; it runs only while no
 * worker of the group does.
 */
export async function openMysqlPositions(settings: MysqlSettings, group: string): Promise<PositionStore> {
  const pool: mysql.Pool = createMysqlPool({ ...settings, poolSize: 1 });
  try {
    await pingMysql(pool, settings);
    const [tables] = await pool.query<mysql.RowDataPacket[]>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'sink_offsets'",
    );
    if (tables.length === 0) throw new Error('MySQL has no sink_offsets table yet: run `npm run migrate` first');
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    read(topic, partitions) {
      return readStoredPositions(pool, 'sink_offsets', { group, topic }, partitions);
    },

    async write(topic, positions) {
      if (positions.size === 0) return;
      const rows = [...positions].map(([partition, next]) => [group, topic, partition, next]);
      await pool.query(
        'INSERT INTO sink_offsets (consumer_group, topic, kafka_partition, next_offset) VALUES ? ' +
          'ON DUPLICATE KEY UPDATE next_offset = VALUES(next_offset)',
        [rows],
      );
    },

    async excludeWriters() {
      return undefined;
    },

    async close() {
      await pool.end();
    },
  };
}
