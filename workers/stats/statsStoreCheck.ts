import type mysql from 'mysql2/promise';
import { checkStoreProbes, type StoreProbe } from '../mysql/mysqlStoreCheck';

/**
 * Statements that use every table, column and privilege the statistics
 * worker needs while touching no row (see mysqlStoreCheck.ts for why an
 * empty INSERT … SELECT proves them).
 */
const PROBES: readonly StoreProbe[] = [
  {
    needs: 'SELECT, INSERT and UPDATE on stats_positions',
    sql:
      'INSERT INTO stats_positions (consumer_group, topic, kafka_partition, next_offset, stream_time) ' +
      "SELECT '', '', 0, 0, NULL FROM DUAL WHERE FALSE ON DUPLICATE KEY UPDATE next_offset = GREATEST(next_offset, VALUES(next_offset)), " +
      'stream_time = GREATEST(stream_time, VALUES(stream_time))',
  },
  {
    needs: 'SELECT, INSERT and UPDATE on bid_windows',
    sql:
      'INSERT INTO bid_windows (window_seconds, window_start, item, bids, bidders, highest_price, lowest_price, price_sum, late_bids) ' +
      "SELECT 3, '1970-01-01 00:00:00', '', 0, 0, NULL, NULL, 0, 0 FROM DUAL WHERE FALSE " +
      'ON DUPLICATE KEY UPDATE bids = bids + VALUES(bids), highest_price = GREATEST(highest_price, VALUES(highest_price)), ' +
      'lowest_price = LEAST(lowest_price, VALUES(lowest_price)), price_sum = price_sum + VALUES(price_sum), late_bids = late_bids + VALUES(late_bids)',
  },
  {
    needs: 'SELECT, INSERT and UPDATE on bid_window_bidders',
    sql:
      'INSERT INTO bid_window_bidders (window_seconds, window_start, item, name, bids) ' +
      "SELECT 3, '1970-01-01 00:00:00', '', '', 1 FROM DUAL WHERE FALSE ON DUPLICATE KEY UPDATE bids = bids + VALUES(bids)",
  },
  { needs: 'UPDATE on bid_windows', sql: 'UPDATE bid_windows SET bidders = bidders WHERE FALSE' },
];

/**
 * Checks, at start, that the database MYSQL_URL names holds the statistics
 * tables and lets its user write them: a database that was never migrated
 * is one line naming MYSQL_URL and `npm run migrate`.
 */
export async function checkStatsStore(pool: mysql.Pool): Promise<void> {
  await checkStoreProbes(pool, PROBES, 'the statistics worker');
}
