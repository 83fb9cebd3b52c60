import { randomUUID } from 'node:crypto';
import Kafka, { type Message } from 'node-rdkafka';
import { loadEnv } from '../../lib/env';
import { connectionProperties, readKafkaSettings } from '../../lib/kafka/settings';

/**
 * Reads a topic from its beginning with a throwaway consumer group until
 * `count` records have arrived or `timeoutMs` has passed, and returns them
 * (fewer than `count` on timeout: the caller's assertion says what is missing).
 */
export async function readTopic(topic: string, count: number, timeoutMs = 30_000): Promise<Message[]> {
  const consumer = new Kafka.KafkaConsumer(
    {
      ...connectionProperties(readKafkaSettings(loadEnv()), 'test-reader'),
      'group.id': `test-reader-${randomUUID()}`,
      'enable.auto.commit': false,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => consumer.connect({}, (error) => (error ? reject(error) : resolve())));
  consumer.setDefaultConsumeTimeout(200);
  consumer.subscribe([topic]);
  const messages: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    while (messages.length < count && Date.now() < deadline) {
      const batch = await new Promise<Message[]>((resolve, reject) =>
        consumer.consume(500, (error, received) => (error ? reject(error) : resolve(received))),
      );
      messages.push(...batch);
    }
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  return messages;
}
