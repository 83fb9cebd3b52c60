import type mysql from 'mysql2/promise';
import { ConfigError } from '../../lib/env';
import { errorMessage } from '../../lib/errorMessage';
import { mysqlRefusalOf } from './mysqlRefusal';

/**
 * Statements that use every table and privilege the sink needs while
 * touching no row: MySQL checks that tables exist and that the user may
 * SELECT, INSERT and UPDATE them before it runs a statement, even one that
 * selects nothing to insert. An upsert needs SELECT too: its UPDATE part
 * reads the column it names (error 1143 without it).
 */
export interface StoreProbe {
  /** The privileges the statement needs, as the fix to grant them. */
  needs: string;
  sql: string;
}

const PROBES: readonly StoreProbe[] = [
  { needs: 'SELECT on sink_offsets', sql: 'SELECT next_offset FROM sink_offsets WHERE FALSE' },
  {
    needs: 'SELECT, INSERT and UPDATE on bids',
    sql:
      'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, extra) ' +
      "SELECT '', '', '', 1, NOW(3), 0, 0, NULL FROM DUAL WHERE FALSE ON DUPLICATE KEY UPDATE bid_id = bid_id",
  },
  {
    needs: 'SELECT, INSERT and UPDATE on sink_offsets',
    sql:
      'INSERT INTO sink_offsets (consumer_group, topic, kafka_partition, next_offset) ' +
      "SELECT '', '', 0, 0 FROM DUAL WHERE FALSE ON DUPLICATE KEY UPDATE next_offset = GREATEST(next_offset, VALUES(next_offset))",
  },
];

/**
 * Checks, at start, that the database MYSQL_URL names holds the sink's
 * tables and lets its user write them, so a wrong URL, a database that was
 * never migrated or a read-only user is one line naming MYSQL_URL instead
 * of a failure on the first batch.
 */
export async function checkMysqlStore(pool: mysql.Pool): Promise<void> {
  await checkStoreProbes(pool, PROBES, 'the MySQL sink');
}

/** Runs each probe; a configuration refusal is one line naming MYSQL_URL and the fix (`sink` names the worker). */
export async function checkStoreProbes(pool: mysql.Pool, probes: readonly StoreProbe[], sink: string): Promise<void> {
  for (const probe of probes) {
    try {
      await pool.query(probe.sql);
    } catch (error) {
      if (mysqlRefusalOf(error) !== 'configuration') throw error;
      const errno = (error as { errno?: unknown }).errno;
      // 1146: no such table; 1054: a column a later migration adds (such as bids.extra) is missing.
      const fix =
        errno === 1146 || errno === 1054
          ? 'run `npm run migrate` against it, or point MYSQL_URL at the migrated database'
          : `grant its user ${probe.needs}`;
      throw new ConfigError('MYSQL_URL', `names a database ${sink} cannot use (${errorMessage(error)}): ${fix}`);
    }
  }
}
