import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Kafka, { type LibrdKafkaError, type Message } from 'node-rdkafka';
import { loadEnv } from '../lib/env';
import { connectionProperties, readKafkaSettings } from '../lib/kafka/settings';
import { HEADER_LENGTH } from '../lib/registry/wireFormat';
import type { Throughput } from './benchResult';

const BATCH = 5_000;
/** librdkafka's logical offset for "the first record still held". */
const OFFSET_BEGINNING = -2;

/**
 * The consume-only ceiling of a backlog: node-rdkafka reading `records`
 * records of `topic` from the start of its `partitions` partitions, tuned
 * for throughput (large fetches, batches of 5,000, a 10 ms per-message
 * timeout so a partial batch comes back quickly) and JSON-parsing each value
 * after its wire-format header, which is the least any sink must do. No
 * group (partitions are assigned, nothing is committed), no validation, no
 * store: a worker cannot drain faster than this.
 */
export async function measureConsumeCeiling(
  topic: string,
  partitions: number,
  records: number,
  onProgress: (consumed: number) => void,
): Promise<Throughput> {
  const consumer = new Kafka.KafkaConsumer(
    {
      ...connectionProperties(readKafkaSettings(loadEnv()), 'bench-consume-ceiling'),
      'group.id': `bench-consume-ceiling-${randomUUID().slice(0, 8)}`,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'fetch.max.bytes': 52_428_800,
      'max.partition.fetch.bytes': 10_485_760,
      'queued.min.messages': 200_000,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 15_000 }, (error: LibrdKafkaError | null) =>
      error ? reject(new Error(`consume ceiling: cannot reach Kafka: ${error.message}`)) : resolve(),
    ),
  );
  try {
    consumer.setDefaultConsumeTimeout(10);
    const started = performance.now();
    consumer.assign(
      Array.from({ length: partitions }, (_, partition) => ({ topic, partition, offset: OFFSET_BEGINNING })),
    );
    let consumed = 0;
    let lastProgress = started;
    while (consumed < records) {
      const batch = await new Promise<Message[]>((resolve, reject) =>
        consumer.consume(BATCH, (error: LibrdKafkaError | null, messages: Message[]) =>
          error ? reject(new Error(`consume ceiling: ${error.message}`)) : resolve(messages),
        ),
      );
      for (const message of batch) {
        if (message.value) JSON.parse(message.value.toString('utf8', HEADER_LENGTH));
      }
      consumed += batch.length;
      if (performance.now() - lastProgress > 500) {
        onProgress(consumed);
        lastProgress = performance.now();
      }
      if (performance.now() - started > 300_000) {
        throw new Error(`consume ceiling: only ${consumed} of ${records} records in 5 minutes`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    return { records: consumed, seconds, perSecond: consumed / seconds };
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
