import Kafka, {
  CODES,
  type Assignment,
  type LibrdKafkaError,
  type Message,
  type TopicPartition,
  type TopicPartitionOffset,
} from 'node-rdkafka';
import { connectionProperties, type KafkaSettings } from '../../lib/kafka/settings';
import type { Logger } from '../../lib/logger';
import { errorMessage } from '../../lib/errorMessage';

/** A group rebalance as librdkafka announced it: partitions handed to this worker, or taken away. */
export type RebalanceEvent = { kind: 'assign'; partitions: number[] } | { kind: 'revoke'; partitions: number[] };

/**
 * The worker's node-rdkafka consumer, with only the calls the runtime needs,
 * promisified. Offsets are never auto-committed or auto-stored: the sink's own
 * store says where to resume, and the group commit is only for lag tooling.
 *
 * Rebalances use the eager protocol (roundrobin): on revoke this worker gives
 * up every partition before anyone else gets one, so two workers never write
 * the same partition at once.
 */
export class SinkConsumer {
  private readonly consumer: Kafka.KafkaConsumer;

  constructor(
    settings: KafkaSettings,
    clientId: string,
    groupId: string,
    sessionTimeoutMs: number,
    onRebalance: (event: RebalanceEvent) => void,
    private readonly log: Logger,
  ) {
    const topic = settings.topic;
    this.consumer = new Kafka.KafkaConsumer(
      {
        ...connectionProperties(settings, clientId),
        'group.id': groupId,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'partition.assignment.strategy': 'roundrobin',
        // A killed worker's partitions stay unread until its session expires
        // (librdkafka's default is 45 s); a sink wants its failover quicker.
        'session.timeout.ms': sessionTimeoutMs,
        'heartbeat.interval.ms': Math.max(500, Math.floor(sessionTimeoutMs / 3)),
        // librdkafka waits for our assign()/unassign() call, which comes once
        // the sink has answered `open` or written the batch in hand. A plain
        // function, because node-rdkafka calls it with `this` = the consumer.
        rebalance_cb: function (error: LibrdKafkaError, assignment: TopicPartition[]) {
          const partitions = assignment.filter((tp) => tp.topic === topic).map((tp) => tp.partition);
          if (error.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) onRebalance({ kind: 'assign', partitions });
          else if (error.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS) onRebalance({ kind: 'revoke', partitions });
          else log.error({ err: error.message, code: error.code }, 'rebalance failed');
        },
      },
      // Only used for a partition the sink has never written: start from the beginning.
      { 'auto.offset.reset': 'earliest' },
    );
    this.consumer.on('event.error', (error: LibrdKafkaError) => {
      this.log.warn({ err: error.message, code: error.code }, 'kafka consumer error');
    });
  }

  async connect(timeoutMs = 15_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.consumer.connect({ timeout: timeoutMs }, (error) =>
        error ? reject(new Error(`cannot reach Kafka: ${error.message}`)) : resolve(),
      );
    });
  }

  /**
   * The consume timeout applies per message in node-rdkafka, so a small one
   * keeps a trickle from holding a batch for n × timeout.
   */
  subscribe(topic: string, consumeTimeoutMs: number): void {
    this.consumer.setDefaultConsumeTimeout(consumeTimeoutMs);
    this.consumer.subscribe([topic]);
  }

  /** Up to `count` messages; never call this twice at once. */
  consume(count: number): Promise<Message[]> {
    return new Promise<Message[]>((resolve, reject) => {
      this.consumer.consume(count, (error, messages) => (error ? reject(error) : resolve(messages)));
    });
  }

  /** Takes the assignment with its start offsets in it: a seek right after assign fails with ERR__STATE. */
  assign(assignments: Assignment[]): void {
    this.consumer.assign(assignments);
  }

  unassign(): void {
    this.consumer.unassign();
  }

  pause(topic: string, partitions: readonly number[]): void {
    if (partitions.length > 0) this.consumer.pause(partitions.map((partition) => ({ topic, partition })));
  }

  resume(topic: string, partitions: readonly number[]): void {
    if (partitions.length > 0) this.consumer.resume(partitions.map((partition) => ({ topic, partition })));
  }

  /** Records the written positions with the group, for lag tooling only; a failure is logged, not fatal. */
  commit(offsets: TopicPartitionOffset[]): void {
    if (offsets.length === 0) return;
    try {
      this.consumer.commit(offsets);
    } catch (error) {
      this.log.warn({ err: errorMessage(error) }, 'offset commit failed');
    }
  }

  /** The newest offset the broker reported for a partition (from fetch responses, no round trip). */
  highWatermark(topic: string, partition: number): number | undefined {
    try {
      const { highOffset } = this.consumer.getWatermarkOffsets(topic, partition);
      return highOffset >= 0 ? highOffset : undefined;
    } catch {
      return undefined;
    }
  }

  /** Leaves the group: librdkafka revokes the assignment first, so the rebalance callback must still unassign. */
  async disconnect(): Promise<void> {
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }
}
