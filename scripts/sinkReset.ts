import { parseArgs } from 'node:util';
import { loadEnv } from '../lib/env';
import { readKafkaSettings } from '../lib/kafka/settings';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { consumerGroupOf } from '../workers/runtime/settings';
import { openPositionStore } from '../workers/reset/openPositionStore';
import { RESETTABLE_SINKS, STATS_REBUILD_COMMAND, type ResettableSink } from '../workers/reset/resetCommand';
import { describeResetTarget, parseResetTarget } from '../workers/reset/resetTarget';
import { resetSinkPositions } from '../workers/reset/sinkReset';

const USAGE =
  'usage: npm run sink:reset -- --sink <mysql|csv|hive> --to <earliest|latest|ISO time> [--topic T] [--group G]';

function sinkOf(text: string | undefined): ResettableSink {
  if (text === 'stats') {
    throw new Error(
      "the statistics worker's positions cannot be moved alone: its windows keep what the rewound bids already added, " +
        `which would be counted twice. Stop every statistics worker and run \`${STATS_REBUILD_COMMAND}\` to recount them from the topic`,
    );
  }
  const sink = RESETTABLE_SINKS.find((name) => name === text);
  if (sink === undefined) throw new Error(`--sink must be one of ${RESETTABLE_SINKS.join(', ')}; ${USAGE}`);
  return sink;
}

/**
 * `npm run sink:reset`: moves where a stopped sink resumes, in its own store,
 * and commits the same offsets to its Kafka group. Prints each partition's
 * move; refuses (exit 1, nothing changed) while a worker of the group runs.
 */
runMain('sink:reset', async () => {
  let values: { sink?: string; to?: string; topic?: string; group?: string };
  try {
    ({ values } = parseArgs({
      options: {
        sink: { type: 'string' },
        to: { type: 'string' },
        topic: { type: 'string' },
        group: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${USAGE}`);
  }
  const sink = sinkOf(values.sink);
  const target = parseResetTarget(values.to);
  const env = loadEnv();
  const kafka = readKafkaSettings(env);
  const topic = values.topic ?? kafka.topic;
  const group = values.group ?? consumerGroupOf(env, sink);
  const log = createLogger('sink-reset', undefined, 'stderr');
  const store = await openPositionStore(sink, env, group, log);
  try {
    const changes = await resetSinkPositions({ sink, topic, group, target }, kafka, store);
    const lines = [`sink:reset ${sink}: group ${group}, topic ${topic}, to ${describeResetTarget(target)}`];
    for (const { partition, from, to } of changes) {
      lines.push(`  partition ${partition}: ${from ?? 'none'} → ${to}${from === to ? ' (unchanged)' : ''}`);
    }
    lines.push(`stored in the ${sink} sink's store and committed to the Kafka group ${group}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
});
