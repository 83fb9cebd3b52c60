import type mysql from 'mysql2/promise';
import { createMysqlPool, pingMysql } from '../../lib/mysql/pool';
import { readMysqlSettings } from '../../lib/mysql/settings';
import type { Sink, SinkBatch } from '../runtime/sink';
import type { SinkContext } from '../runtime/sinkContext';
import { inMysqlTransaction, mysqlStoreCall } from '../mysql/mysqlStoreCall';
import { refuseMalformedText } from '../mysql/wellFormedText';
import { readStoredPositions } from '../mysql/storedPositions';
import { writeStatsBatch } from './statsBatchWrite';
import { readStatsSettings } from './statsSettings';
import { checkStatsStore } from './statsStoreCheck';

/**
 * The statistics worker's sink: bids folded into tumbling windows of 3 s and
 * 60 s of bid time, per item and over every item, in MySQL. One transaction
 * per batch adds the batch's figures and moves the positions (with each
 * partition's stream time), so a crash at any moment resumes exactly after
 * the last counted bid and nothing is counted twice.
 */
export function createStatsSink(context: SinkContext): Sink {
  const { env, log, group } = context;
  const settings = readMysqlSettings(env, 2);
  const { allowedLatenessMs } = readStatsSettings(env);
  let pool: mysql.Pool | undefined;
  let topic: string | undefined;

  function requirePool(): mysql.Pool {
    if (!pool) throw new Error('the statistics worker has not been started');
    return pool;
  }

  const classified = <T>(work: () => Promise<T>): Promise<T> => mysqlStoreCall('the statistics worker', work);

  return {
    name: 'stats',
    // As the MySQL sink: a commit costs a log flush whatever its size.
    batching: { maxRecords: 5000, lingerMs: 100 },

    async start() {
      pool = createMysqlPool(settings);
      await pingMysql(pool, settings);
      await checkStatsStore(pool);
      log.info({ group, allowedLatenessMs }, 'statistics worker ready');
    },

    async open(openedTopic, partitions) {
      topic = openedTopic;
      return classified(() =>
        readStoredPositions(requirePool(), 'stats_positions', { group, topic: openedTopic }, partitions),
      );
    },

    async write(batch: SinkBatch) {
      const positionsTopic = batch.records[0]?.topic ?? topic;
      if (positionsTopic === undefined)
        throw new Error('statistics worker asked to write before any partition was opened');
      refuseMalformedText(batch.records);
      await classified(() =>
        inMysqlTransaction(requirePool(), (connection) =>
          writeStatsBatch(connection, { group, topic: positionsTopic, allowedLatenessMs }, batch),
        ),
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
