import { DeliveringProducer } from '../../lib/kafka/deliveringProducer';
import { readKafkaSettings } from '../../lib/kafka/settings';
import { createLogger, type Logger } from '../../lib/logger';
import { loadEnv, type Env } from '../../lib/env';
import { runMain } from '../../lib/main';
import { BidCodec } from '../../lib/registry/bidCodec';
import { readRegistrySettings } from '../../lib/registry/settings';
import { SinkMetrics } from './metrics';
import { readSinkRuntimeSettings } from './settings';
import type { Sink } from './sink';
import { SinkConsumer } from './sinkConsumer';
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
export function runSinkWorker(createSink: (env: Env, log: Logger) => Sink): void {
  let role = 'sink';
  runMain('sink-worker', async () => {
    const env = loadEnv();
    const bootLog = createLogger(role);
    const sink = createSink(env, bootLog);
    role = `${sink.name}-sink`;
    const log = createLogger(role);
    const kafka = readKafkaSettings(env);
    const registry = readRegistrySettings(env);
    const settings = readSinkRuntimeSettings(env, sink);

    await sink.start();
    const codec = BidCodec.fromSettings(registry);
    const producer = new DeliveringProducer(kafka, `${role}-dlq`, { lingerMs: 5, messageTimeoutMs: 60_000 }, log);
    await producer.connect();

    // Lag is read only when /metrics is scraped, which starts after the worker exists.
    const metrics: SinkMetrics = new SinkMetrics(sink.name, () => worker.lag());
    const worker: SinkWorker = new SinkWorker({
      sink,
      settings,
      topic: kafka.topic,
      deadLetterTopic: kafka.deadLetterTopic,
      codec,
      producer,
      metrics,
      log,
    });
    const consumer = new SinkConsumer(
      kafka,
      role,
      settings.consumerGroup,
      settings.sessionTimeoutMs,
      worker.onRebalance,
      log,
    );
    worker.attach(consumer);
    await consumer.connect();
    const metricsPort = settings.metricsPort > 0 ? await metrics.listen(settings.metricsPort, log) : undefined;

    log.info(
      {
        topic: kafka.topic,
        deadLetterTopic: kafka.deadLetterTopic,
        group: settings.consumerGroup,
        batchMaxRecords: settings.batchMaxRecords,
        batchLingerMs: settings.batchLingerMs,
        metricsPort,
      },
      'sink worker started',
    );

    const running = worker;
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping: finishing the batch in hand');
      running.requestStop();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    const status = setInterval(() => {
      log.info(
        { ...running.totals, partitions: running.assignedPartitions, lag: running.lag(), waiting: running.isWaiting },
        'status',
      );
    }, STATUS_INTERVAL_MS);
    status.unref();

    let failure: unknown;
    try {
      await running.run();
    } catch (error) {
      failure = error;
      log.error({ err: errorMessage(error) }, 'sink worker failed; stopping');
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
