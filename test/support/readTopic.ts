import { randomUUID } from 'node:crypto';
import Kafka, { type Message } from 'node-rdkafka';
import type { Bid } from '../../lib/bid/bid';
import { loadEnv } from '../../lib/env';
import { connectionProperties, readKafkaSettings } from '../../lib/kafka/settings';
import { readWireFrame } from '../../lib/registry/wireFormat';

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

/** The bid a record on a bid topic carries (the test fails if it is not in the Confluent wire format). */
export function bidOf(message: Message): Bid {
  const frame = readWireFrame(message.value);
  if (!frame.ok)
    throw new Error(`record at ${message.partition}/${message.offset} is not in the wire format: ${frame.reason}`);
  return JSON.parse(frame.payload.toString('utf8')) as Bid;
}

/** A record header's value as text, or undefined when the record has no such header. */
export function headerOf(message: Message, name: string): string | undefined {
  const found = message.headers?.find((header) => name in header)?.[name];
  return found === undefined ? undefined : found.toString();
}
