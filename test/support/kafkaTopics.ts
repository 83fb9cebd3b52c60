import { randomUUID } from 'node:crypto';
import Kafka, { type LibrdKafkaError } from 'node-rdkafka';
import { loadEnv } from '../../lib/env';
import { connectionProperties, readKafkaSettings } from '../../lib/kafka/settings';

/**
 * Creates a topic with a unique name for one test (so tests never see each
 * other's records) and returns its name. Uses the real broker named by the
 * environment (the local stack by default).
 */
export async function createTestTopic(prefix: string, partitions = 3): Promise<string> {
  const topic = `${prefix}-${randomUUID().slice(0, 8)}`;
  const admin = Kafka.AdminClient.create(connectionProperties(readKafkaSettings(loadEnv()), 'test-admin'));
  try {
    await new Promise<void>((resolve, reject) => {
      admin.createTopic(
        { topic, num_partitions: partitions, replication_factor: 1 },
        15_000,
        (error: LibrdKafkaError) =>
          error ? reject(new Error(`cannot create topic ${topic}: ${error.message}`)) : resolve(),
      );
    });
  } finally {
    admin.disconnect();
  }
  return topic;
}

/** Deletes a test topic; a topic that is already gone is fine. */
export async function deleteTestTopic(topic: string): Promise<void> {
  const admin = Kafka.AdminClient.create(connectionProperties(readKafkaSettings(loadEnv()), 'test-admin'));
  try {
    await new Promise<void>((resolve) => admin.deleteTopic(topic, 15_000, () => resolve()));
  } finally {
    admin.disconnect();
  }
}
