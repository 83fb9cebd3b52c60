import { randomUUID } from 'node:crypto';
import Kafka, { type LibrdKafkaError } from 'node-rdkafka';
import { loadEnv, type Env } from '../../lib/env';
import { connectionProperties, readKafkaSettings } from '../../lib/kafka/settings';

/**
 * Creates a topic with a unique name for one test (so tests never see each
 * other's records) and returns its name. Uses the real broker named by
 * `env`: the environment (the local stack by default) unless told otherwise.
 */
export async function createTestTopic(prefix: string, partitions = 3, env: Env = loadEnv()): Promise<string> {
  const topic = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createTopicNamed(topic, partitions, env);
  return topic;
}

/**
 * Creates `topic`. Right after a delete the broker may still be removing the
 * old one ("marked for deletion"): it is tried again for up to 30 s.
 */
export async function createTopicNamed(topic: string, partitions: number, env: Env = loadEnv()): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await createTopicOnce(topic, partitions, env);
      return;
    } catch (error) {
      if (Date.now() > deadline || !/marked for deletion|already exists/i.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function createTopicOnce(topic: string, partitions: number, env: Env): Promise<void> {
  const admin = Kafka.AdminClient.create(connectionProperties(readKafkaSettings(env), 'test-admin'));
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
}

/** Deletes `topic` and creates it again under the same name, empty: what an operator does by mistake. */
export async function recreateTestTopic(topic: string, partitions: number): Promise<void> {
  await deleteTestTopic(topic);
  await createTopicNamed(topic, partitions);
}

/** Deletes a test topic; a topic that is already gone is fine. */
export async function deleteTestTopic(topic: string, env: Env = loadEnv()): Promise<void> {
  const admin = Kafka.AdminClient.create(connectionProperties(readKafkaSettings(env), 'test-admin'));
  try {
    await new Promise<void>((resolve) => admin.deleteTopic(topic, 15_000, () => resolve()));
  } finally {
    admin.disconnect();
  }
}
