import { DeliveringProducer } from '../../lib/kafka/deliveringProducer';
import { readKafkaSettings } from '../../lib/kafka/settings';
import { createLogger } from '../../lib/logger';
import { ConfigError, loadEnv } from '../../lib/env';
import { describeStartupFailure, runMain } from '../../lib/main';
import { BidCodec } from '../../lib/registry/bidCodec';
import { readRegistrySettings } from '../../lib/registry/settings';
import { SinkMetrics } from './metrics';
import { consumerGroupOf, readSinkRuntimeSettings } from './settings';
import type { SinkContext } from './sinkContext';
import type { Sink } from './sink';
import { heartbeatIntervalFor, SinkConsumer } from './sinkConsumer';
import { DeadLetters } from './deadLetters';
import { MembershipWatch } from './membershipWatch';
import { SinkWorker } from './sinkWorker';
import { errorMessage } from '../../lib/errorMessage';

/** How often the worker logs where it stands, so a quiet worker is visibly alive. */
const STATUS_INTERVAL_MS = 30_000;

/**
 * The whole sink worker process: settings, the sink, the registry codec, the
 * dead-letter producer, the consumer loop, metrics, and an orderly shutdown on
 * SIGTERM/SIGINT. A bad setting or an unreachable service at start-up is one
 * line on stderr and exit code 1; a failure retrying cannot fix later is
 * logged and exits 1 too, without skipping anything.
 */
export function runSinkWorker(sinkName: string, createSink: (context: SinkContext) => Sink): void {
  const role = `${sinkName}-sink`;
  runMain(role, async () => {
    const env = loadEnv();
    const log = createLogger(role);
    const kafka = readKafkaSettings(env);
    const registry = readRegistrySettings(env);
    // The worker answers assertAssignment once it exists; the sink is made first.
    const late: { worker?: SinkWorker } = {};
    const context: SinkContext = {
      topic: kafka.topic,
      group: consumerGroupOf(env, sinkName),
      log,
      env,
      assertAssignment: () => late.worker?.assertAssignment(),
    };
    const sink = createSink(context);
    const settings = readSinkRuntimeSettings(env, sink);

    // Signals are heard from the start: a CSV worker standing by for the
    // writer lock waits inside sink.start(), and must stop cleanly too.
    const onSignal = (signal: string): void => {
      if (late.worker) {
        log.info({ signal }, 'stopping: finishing the batch in hand');
        late.worker.requestStop();
        return;
      }
      // Nothing is read or written before the loop runs, so nothing is left half done.
      log.info({ signal }, 'stopping before the worker started (while starting or standing by)');
      process.exit(0);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));

    await sink.start();
    const codec = BidCodec.fromSettings(registry);
    // A wrong registry URL would otherwise dead-letter every record as "unknown schema id".
    await codec.checkRegistry();
    const producer = new DeliveringProducer(kafka, `${role}-dlq`, { lingerMs: 5, messageTimeoutMs: 60_000 }, log);
    await producer.connect();

    // Lag and pauses are read only when /metrics is scraped, which starts after the worker exists.
    const metrics: SinkMetrics = new SinkMetrics(
      sink.name,
      () => running.lag(),
      () => running.pauseState,
      () => running.batchInHandMs,
    );
    const running: SinkWorker = new SinkWorker({
      sink,
      settings,
      topic: kafka.topic,
      codec,
      deadLetters: new DeadLetters(sink.name, kafka.deadLetterTopic, producer, metrics, log),
      metrics,
      // Two heartbeats and a margin: long enough to hear the coordinator's answer after a stall.
      membership: new MembershipWatch(
        settings.sessionTimeoutMs,
        2 * heartbeatIntervalFor(settings.sessionTimeoutMs) + 1_000,
      ),
      log,
    });
    const consumer = new SinkConsumer(
      kafka,
      role,
      settings.consumerGroup,
      { sessionTimeoutMs: settings.sessionTimeoutMs, maxPollIntervalMs: settings.maxPollIntervalMs },
      running.onRebalance,
      log,
    );
    running.attach(consumer);
    await consumer.connect();
    // The topics are part of the configuration: a missing one is a setting to fix, not a wait.
    for (const [variable, topic] of [
      ['KAFKA_TOPIC', kafka.topic],
      ['KAFKA_DLQ_TOPIC', kafka.deadLetterTopic],
    ] as const) {
      if ((await consumer.partitionCountOf(topic)) === 0) {
        throw new ConfigError(
          variable,
          `names the topic "${topic}", which the Kafka cluster does not have: create it (npm run stack:up creates the defaults) or fix the name`,
        );
      }
    }
    const metricsPort =
      settings.metricsPort > 0 ? await metrics.listen(settings.metricsHost, settings.metricsPort, log) : undefined;

    log.info(
      {
        topic: kafka.topic,
        deadLetterTopic: kafka.deadLetterTopic,
        group: settings.consumerGroup,
        batchMaxRecords: settings.batchMaxRecords,
        batchLingerMs: settings.batchLingerMs,
        metricsPort,
        metricsHost: metricsPort === undefined ? undefined : settings.metricsHost,
      },
      'sink worker started',
    );

    late.worker = running;
    const status = setInterval(() => {
      const batchInHandMs = running.batchInHandMs;
      const state = {
        ...running.totals,
        partitions: running.assignedPartitions,
        lag: running.lag(),
        waiting: running.isWaiting,
        paused: running.pauseState,
        batchInHandMs,
      };
      // A write that has not come back for a whole status interval (a store
      // call that hangs) is said as a warning, not buried in a status line.
      if (batchInHandMs > STATUS_INTERVAL_MS)
        log.warn(state, `a batch has been in hand for ${Math.round(batchInHandMs / 1000)} s`);
      else log.info(state, 'status');
    }, STATUS_INTERVAL_MS);
    status.unref();

    let failure: unknown;
    try {
      await running.run();
    } catch (error) {
      failure = error;
      log.error({ err: errorMessage(error) }, 'sink worker failed; stopping');
      // The same one line on stderr as a start-up failure, for whoever reads the exit.
      process.stderr.write(`${role}: ${describeStartupFailure(error)}\n`);
    }
    clearInterval(status);
    // Shutdown order that avoids librdkafka's hangs: the loop has stopped
    // consuming and written (or given up) its batch and dead letters; leave
    // the group once, then flush and close the producer, then the store.
    await consumer.disconnect();
    await producer.close();
    await metrics.close();
    await sink.stop();
    log.info({ ...running.totals }, 'sink worker stopped');
    process.exit(failure === undefined ? 0 : 1);
  });
}
