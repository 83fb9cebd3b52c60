import type mysql from 'mysql2/promise';
import type { Env } from '../../lib/env';
import type { Logger } from '../../lib/logger';
import { createMysqlPool, pingMysql } from '../../lib/mysql/pool';
import { readMysqlSettings } from '../../lib/mysql/settings';
import { consumerGroupOf } from '../runtime/settings';
import { TransientSinkError, type Sink, type SinkBatch } from '../runtime/sink';
import { isTransientMysqlError } from './transientMysqlError';
import { errorMessage } from '../../lib/errorMessage';
import { toSqlTimestamp } from '../../lib/sqlTimestamp';

/** The columns of `bids` the sink fills, in the order of its placeholders. */
const BID_INSERT = 'INSERT IGNORE INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES ';

/**
 * Stores positions so they only move forward: a worker that lost its
 * partitions while a write was in flight must not rewind the new owner.
 */
const OFFSET_UPSERT =
  'INSERT INTO sink_offsets (consumer_group, topic, kafka_partition, next_offset) VALUES ? ' +
  'ON DUPLICATE KEY UPDATE next_offset = GREATEST(next_offset, VALUES(next_offset))';

/**
 * The MySQL sink: one transaction per batch inserts the bids and moves the
 * group's stored positions, so the rows and "where we got to" commit together
 * and a crash at any moment resumes exactly after the last stored bid. A bid
 * already present (same bid_id) is left as it is.
 */
export function createMysqlSink(env: Env, log: Logger): Sink {
  const settings = readMysqlSettings(env, 2);
  const group = consumerGroupOf(env, 'mysql');
  let pool: mysql.Pool | undefined;
  let topic: string | undefined;

  function requirePool(): mysql.Pool {
    if (!pool) throw new Error('the MySQL sink has not been started');
    return pool;
  }

  /** Runs a store call, turning failures worth waiting out into TransientSinkError. */
  async function classified<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isTransientMysqlError(error)) {
        throw new TransientSinkError(`MySQL: ${errorMessage(error)}`);
      }
      throw error;
    }
  }

  return {
    name: 'mysql',
    batching: { maxRecords: 2000, lingerMs: 100 },

    async start() {
      pool = createMysqlPool(settings);
      await pingMysql(pool, settings);
      const [tables] = await pool.query<mysql.RowDataPacket[]>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('bids', 'sink_offsets')",
      );
      if (tables.length < 2) throw new Error('MySQL has no bids/sink_offsets tables yet: run `npm run migrate` first');
      log.info({ group }, 'MySQL sink ready');
    },

    async open(openedTopic, partitions) {
      topic = openedTopic;
      if (partitions.length === 0) return new Map();
      return classified(async () => {
        const [rows] = await requirePool().query<mysql.RowDataPacket[]>(
          'SELECT kafka_partition, next_offset FROM sink_offsets WHERE consumer_group = ? AND topic = ? AND kafka_partition IN (?)',
          [group, openedTopic, partitions],
        );
        return new Map(rows.map((row) => [Number(row.kafka_partition), Number(row.next_offset)]));
      });
    },

    async write(batch: SinkBatch) {
      const positionsTopic = batch.records[0]?.topic ?? topic;
      if (positionsTopic === undefined) throw new Error('MySQL sink asked to write before any partition was opened');
      await classified(async () => {
        const connection = await requirePool().getConnection();
        try {
          await connection.beginTransaction();
          if (batch.records.length > 0) {
            const values: (string | number)[] = [];
            for (const { bid, partition, offset } of batch.records) {
              values.push(bid.bid_id, bid.item, bid.name, bid.price, toSqlTimestamp(bid.bid_ts), partition, offset);
            }
            const rows = batch.records.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
            await connection.query(BID_INSERT + rows, values);
          }
          const offsets = [...batch.positions].map(([partition, next]) => [group, positionsTopic, partition, next]);
          if (offsets.length > 0) await connection.query(OFFSET_UPSERT, [offsets]);
          await connection.commit();
        } catch (error) {
          await connection.rollback().catch(() => undefined);
          // A connection that failed mid-transaction is not handed out again.
          connection.destroy();
          throw error;
        }
        connection.release();
      });
    },

    async close() {
      // Nothing is held per partition: every batch was committed before close.
    },

    async stop() {
      await pool?.end();
      pool = undefined;
    },
  };
}
