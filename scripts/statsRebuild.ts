import type mysql from 'mysql2/promise';
import { loadEnv } from '../lib/env';
import { readKafkaSettings } from '../lib/kafka/settings';
import { runMain } from '../lib/main';
import { createMysqlPool, pingMysql } from '../lib/mysql/pool';
import { readMysqlSettings } from '../lib/mysql/settings';
import { checkStatsStore } from '../workers/stats/statsStoreCheck';
import { rebuildStats } from '../workers/stats/statsRebuild';
import { consumerGroupOf } from '../workers/runtime/settings';

/**
 * `npm run stats:rebuild`: with no statistics worker running, clears the
 * bid statistics and the worker group's positions, so the next worker
 * recounts them from the earliest record the topic still holds. Reads
 * KAFKA_TOPIC, SINK_CONSUMER_GROUP and MYSQL_URL as the worker does.
 */
runMain('stats:rebuild', async () => {
  if (process.argv.length > 2) {
    throw new Error(
      `stats:rebuild takes no arguments (got ${process.argv.slice(2).join(' ')}); it reads KAFKA_TOPIC, SINK_CONSUMER_GROUP and MYSQL_URL`,
    );
  }
  const env = loadEnv();
  const kafka = readKafkaSettings(env);
  const group = consumerGroupOf(env, 'stats');
  const settings = readMysqlSettings(env, 1);
  const pool: mysql.Pool = createMysqlPool(settings);
  try {
    await pingMysql(pool, settings);
    await checkStatsStore(pool);
    const outcome = await rebuildStats({ topic: kafka.topic, group }, kafka, pool);
    const lines = [
      `stats:rebuild: group ${group}, topic ${kafka.topic}`,
      `  removed ${outcome.windowRows} window rows, ${outcome.bidderRows} bidder rows, ${outcome.positionRows} positions`,
      ...[...outcome.startOffsets].map(
        ([partition, offset]) => `  partition ${partition}: recount from offset ${offset}`,
      ),
      'start the statistics worker (npm run worker:stats, or npm start) to count the topic again',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await pool.end();
  }
});
