import Kafka, { type LibrdKafkaError, type TopicPartitionOffset } from 'node-rdkafka';
import { connectionProperties, type KafkaSettings } from '../../lib/kafka/settings';
import type { ResetTarget } from './resetTarget';

/** How long one metadata, watermark or timestamp request may take before the command gives up. */
const REQUEST_TIMEOUT_MS = 15_000;

/** The first and the next-to-be-written offset of a partition. */
export interface Watermarks {
  low: number;
  high: number;
}

/**
 * What `sink:reset` asks Kafka: a topic's partitions, their watermarks, the
 * offsets of a moment, and the group commit that keeps lag tooling in step
 * with the sink's own store. One consumer in the sink's group that never
 * subscribes, so it never joins the group: librdkafka sends its commits as a
 * simple (generation-less) consumer, which the broker accepts only while the
 * group has no members.
 */
export class TopicOffsets {
  private readonly consumer: Kafka.KafkaConsumer;

  private constructor(consumer: Kafka.KafkaConsumer) {
    this.consumer = consumer;
  }

  static async connect(settings: KafkaSettings, group: string): Promise<TopicOffsets> {
    const consumer = new Kafka.KafkaConsumer(
      {
        ...connectionProperties(settings, 'sink-reset'),
        'group.id': group,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
      },
      {},
    );
    await new Promise<void>((resolve, reject) =>
      consumer.connect({ timeout: REQUEST_TIMEOUT_MS }, (error) =>
        error ? reject(new Error(`cannot reach Kafka: ${error.message}`)) : resolve(),
      ),
    );
    return new TopicOffsets(consumer);
  }

  /** The topic's partition numbers, in order; a clear error when the topic does not exist. */
  async partitionsOf(topic: string): Promise<number[]> {
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
      this.consumer.getMetadata({ topic, timeout: REQUEST_TIMEOUT_MS }, (error, answer) =>
        error ? reject(new Error(`cannot read the partitions of ${topic}: ${error.message}`)) : resolve(answer),
      ),
    );
    const found = metadata.topics.find((candidate) => candidate.name === topic);
    if (!found || found.partitions.length === 0) throw new Error(`the topic ${topic} does not exist`);
    return found.partitions.map((partition) => partition.id).sort((a, b) => a - b);
  }

  /** Asks the partition's leader for its watermarks (not the cached ones a consumer keeps from fetches). */
  watermarks(topic: string, partition: number): Promise<Watermarks> {
    return new Promise<Watermarks>((resolve, reject) =>
      this.consumer.queryWatermarkOffsets(topic, partition, REQUEST_TIMEOUT_MS, (error, offsets) =>
        error
          ? reject(new Error(`cannot read the offsets of ${topic}/${partition}: ${error.message}`))
          : resolve({ low: offsets.lowOffset, high: offsets.highOffset }),
      ),
    );
  }

  /**
   * Each partition's offset for the target: its low or high watermark, or the
   * first record whose timestamp is at or after the moment (the high
   * watermark when there is none yet, as `kafka-consumer-groups --to-datetime`
   * does).
   */
  async targetOffsets(topic: string, partitions: readonly number[], target: ResetTarget): Promise<Map<number, number>> {
    const answer = new Map<number, number>();
    const watermarks = new Map<number, Watermarks>();
    for (const partition of partitions) watermarks.set(partition, await this.watermarks(topic, partition));
    if (target.kind !== 'time') {
      for (const [partition, { low, high }] of watermarks)
        answer.set(partition, target.kind === 'earliest' ? low : high);
      return answer;
    }
    const found = await new Promise<TopicPartitionOffset[]>((resolve, reject) =>
      this.consumer.offsetsForTimes(
        partitions.map((partition) => ({ topic, partition, offset: target.at.getTime() })),
        REQUEST_TIMEOUT_MS,
        (error: LibrdKafkaError, offsets) =>
          error
            ? reject(new Error(`cannot look up offsets of ${topic} at ${target.at.toISOString()}: ${error.message}`))
            : resolve(offsets),
      ),
    );
    for (const partition of partitions) {
      const offset = found.find((entry) => entry.partition === partition)?.offset;
      answer.set(partition, offset !== undefined && offset >= 0 ? offset : watermarks.get(partition)!.high);
    }
    return answer;
  }

  /** Commits the positions to the group, so lag tooling agrees with the store; throws if the broker refuses. */
  commit(topic: string, positions: ReadonlyMap<number, number>): void {
    if (positions.size === 0) return;
    try {
      this.consumer.commitSync([...positions].map(([partition, offset]) => ({ topic, partition, offset })));
    } catch (error) {
      throw new Error(`the group commit failed: ${(error as Error).message}`);
    }
  }

  async disconnect(): Promise<void> {
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }
}
