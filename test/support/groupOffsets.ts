import Kafka, { type TopicPartitionOffset } from 'node-rdkafka';
import { loadEnv } from '../../lib/env';
import { connectionProperties, readKafkaSettings } from '../../lib/kafka/settings';

/** The offsets a consumer group has committed for the partitions of `topic` (partition → offset; none: missing). */
export async function committedOffsets(
  group: string,
  topic: string,
  partitions: number[],
): Promise<Map<number, number>> {
  const consumer = new Kafka.KafkaConsumer(
    { ...connectionProperties(readKafkaSettings(loadEnv()), 'test-committed'), 'group.id': group },
    {},
  );
  await new Promise<void>((resolve, reject) => consumer.connect({}, (error) => (error ? reject(error) : resolve())));
  try {
    const committed = await new Promise<TopicPartitionOffset[]>((resolve, reject) =>
      consumer.committed(
        partitions.map((partition) => ({ topic, partition })),
        10_000,
        (error, answer) => (error ? reject(error) : resolve(answer)),
      ),
    );
    return new Map(committed.filter((tp) => tp.offset >= 0).map((tp) => [tp.partition, tp.offset]));
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
