import { randomUUID } from 'node:crypto';
import Kafka, { type LibrdKafkaError, type Message } from 'node-rdkafka';
import { connectClient } from '../../lib/kafka/connectClient';
import { connectionProperties, type KafkaSettings } from '../../lib/kafka/settings';
import type { Logger } from '../../lib/logger';

const REQUEST_TIMEOUT_MS = 15_000;
/** How long the read may go without a record or an end-of-partition before it says which partitions it still waits on. */
const QUIET_WARNING_MS = 10_000;

/**
 * Every committed record of the dead-letter topic, from the start of each
 * partition to its end as of now, in partition and offset order. No group
 * state: all partitions are assigned directly (the group id librdkafka
 * requires is a throwaway one that never commits), so reading changes
 * nothing for anyone. Read committed only: a replay that failed half-way
 * aborted its transaction, and its markers do not count.
 */
export async function readDeadLetterTopic(settings: KafkaSettings, topic: string, log: Logger): Promise<Message[]> {
  const consumer = new Kafka.KafkaConsumer(
    {
      ...connectionProperties(settings, 'dlq-reader'),
      'group.id': `dlq-reader-${randomUUID()}`,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'enable.partition.eof': true,
      'isolation.level': 'read_committed',
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await connectClient(consumer, settings, REQUEST_TIMEOUT_MS, (detail) => new Error(`cannot reach Kafka: ${detail}`));
  try {
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
      consumer.getMetadata({ topic, timeout: REQUEST_TIMEOUT_MS }, (error, answer) =>
        error ? reject(new Error(`cannot read the partitions of ${topic}: ${error.message}`)) : resolve(answer),
      ),
    );
    const partitions = metadata.topics.find((candidate) => candidate.name === topic)?.partitions.map((p) => p.id) ?? [];
    if (partitions.length === 0) throw new Error(`the dead-letter topic ${topic} does not exist`);

    // A partition already empty is done before it starts; the others end at their end-of-partition event.
    const pending = new Set<number>();
    const starts = new Map<number, number>();
    for (const partition of partitions) {
      const { lowOffset, highOffset } = await new Promise<Kafka.WatermarkOffsets>((resolve, reject) =>
        consumer.queryWatermarkOffsets(topic, partition, REQUEST_TIMEOUT_MS, (error: LibrdKafkaError, offsets) =>
          error
            ? reject(new Error(`cannot read the offsets of ${topic}/${partition}: ${error.message}`))
            : resolve(offsets),
        ),
      );
      if (highOffset > lowOffset) {
        pending.add(partition);
        starts.set(partition, lowOffset);
      }
    }
    consumer.on('partition.eof', (eof) => {
      if (eof.topic === topic) pending.delete(eof.partition);
    });
    consumer.setDefaultConsumeTimeout(200);
    consumer.assign([...pending].map((partition) => ({ topic, partition, offset: starts.get(partition)! })));

    const messages: Message[] = [];
    let lastProgress = Date.now();
    while (pending.size > 0) {
      const before = messages.length + pending.size;
      const batch = await new Promise<Message[]>((resolve, reject) =>
        consumer.consume(1000, (error, received) => (error ? reject(error) : resolve(received))),
      );
      messages.push(...batch);
      if (messages.length + pending.size !== before || batch.length > 0) lastProgress = Date.now();
      else if (Date.now() - lastProgress > QUIET_WARNING_MS) {
        log.warn({ topic, partitions: [...pending] }, 'waiting for the end of these dead-letter partitions');
        lastProgress = Date.now();
      }
    }
    return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
