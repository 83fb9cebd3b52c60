import type mysql from 'mysql2/promise';
import { createMysqlPool, pingMysql } from '../../lib/mysql/pool';
import { readMysqlSettings } from '../../lib/mysql/settings';
import type { SinkContext } from '../runtime/sinkContext';
import type { Sink, SinkBatch } from '../runtime/sink';
import { checkMysqlStore } from './mysqlStoreCheck';
import { readStoredPositions } from './storedPositions';
import { inMysqlTransaction, mysqlStoreCall } from './mysqlStoreCall';
import { refuseMalformedText } from './wellFormedText';
import { toSqlTimestamp } from '../../lib/sqlTimestamp';
import { extraColumnText } from '../../lib/bid/readBid';

/** The columns of `bids` the sink fills, in the order of its placeholders. */
const BID_INSERT = 'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, extra) VALUES ';

/**
 * A bid already stored (same bid_id) is left as it is. Not `INSERT IGNORE`:
 * that would also turn a value the column cannot hold into a warning and
 * store a converted one.
 */
const ON_DUPLICATE_BID = ' ON DUPLICATE KEY UPDATE bid_id = bid_id';

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
 * already present (same bid_id) is left as it is. Fields a bid carries beyond
 * the columns (added in a later version of the bid) go, as JSON, into `extra`.
 */
export function createMysqlSink(context: SinkContext): Sink {
  const { env, log, group } = context;
  const settings = readMysqlSettings(env, 2);
  let pool: mysql.Pool | undefined;
  let topic: string | undefined;

  function requirePool(): mysql.Pool {
    if (!pool) throw new Error('the MySQL sink has not been started');
    return pool;
  }

  const classified = <T>(work: () => Promise<T>): Promise<T> => mysqlStoreCall('the MySQL sink', work);

  return {
    name: 'mysql',
    // A commit costs a log flush whatever its size: 5,000-row transactions
    // drain a backlog about a third faster than 2,000-row ones here. The
    // size only matters while records pile up; a lone bid is written at once.
    batching: { maxRecords: 5000, lingerMs: 100 },

    async start() {
      pool = createMysqlPool(settings);
      await pingMysql(pool, settings);
      await checkMysqlStore(pool);
      log.info({ group }, 'MySQL sink ready');
    },

    async open(openedTopic, partitions) {
      topic = openedTopic;
      return classified(() =>
        readStoredPositions(requirePool(), 'sink_offsets', { group, topic: openedTopic }, partitions),
      );
    },

    async write(batch: SinkBatch) {
      const positionsTopic = batch.records[0]?.topic ?? topic;
      if (positionsTopic === undefined) throw new Error('MySQL sink asked to write before any partition was opened');
      refuseMalformedText(batch.records);
      await classified(() =>
        inMysqlTransaction(requirePool(), async (connection) => {
          if (batch.records.length > 0) {
            const values: (string | number | null)[] = [];
            for (const { bid, extra, partition, offset } of batch.records) {
              const timestamp = toSqlTimestamp(bid.bid_ts);
              values.push(
                bid.bid_id,
                bid.item,
                bid.name,
                bid.price,
                timestamp,
                partition,
                offset,
                extraColumnText(extra),
              );
            }
            const rows = batch.records.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
            await connection.query(BID_INSERT + rows + ON_DUPLICATE_BID, values);
          }
          const offsets = [...batch.positions].map(([partition, next]) => [group, positionsTopic, partition, next]);
          if (offsets.length > 0) await connection.query(OFFSET_UPSERT, [offsets]);
        }),
      );
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
