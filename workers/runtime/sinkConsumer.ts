import Kafka, {
  CODES,
  type Assignment,
  type LibrdKafkaError,
  type Message,
  type TopicPartition,
  type TopicPartitionOffset,
} from 'node-rdkafka';
import { connectClient } from '../../lib/kafka/connectClient';
import { connectionProperties, type KafkaSettings } from '../../lib/kafka/settings';
import type { Logger } from '../../lib/logger';
import { errorMessage } from '../../lib/errorMessage';

/** librdkafka's heartbeat interval for a session timeout: three heartbeats fit in one session. */
export function heartbeatIntervalFor(sessionTimeoutMs: number): number {
  return Math.max(500, Math.floor(sessionTimeoutMs / 3));
}

/** The longest the broker holds an idle fetch (librdkafka's `fetch.wait.max.ms`, default 500). */
const FETCH_WAIT_MAX_MS = 100;

/** Records librdkafka tries to keep fetched ahead, per partition (`queued.min.messages`, default 100,000). */
const QUEUED_MIN_MESSAGES = 20_000;

/** How soon a partition whose prefetch queue was full is fetched again (`fetch.queue.backoff.ms`, default 1,000). */
const FETCH_QUEUE_BACKOFF_MS = 20;

/** A group rebalance as librdkafka announced it: partitions handed to this worker, or taken away. */
export type RebalanceEvent = { kind: 'assign'; partitions: number[] } | { kind: 'revoke'; partitions: number[] };

/**
 * The worker's node-rdkafka consumer, with only the calls the runtime needs,
 * promisified. Offsets are never auto-committed or auto-stored: the sink's own
 * store says where to resume, and the group commit is only for lag tooling.
 *
 * Rebalances use the cooperative-sticky protocol: an instance joining or
 * leaving moves only the partitions that must move, and the others keep
 * being written without a pause. A partition is handed to its next owner only
 * after its current owner has answered the revoke (which it does once the
 * batch in hand is written or dropped), so two live members never own it at
 * once; a member cut off by the coordinator (its session expired) is fenced
 * by `MembershipWatch` until it has heard the group's answer.
 */
export class SinkConsumer {
  private readonly consumer: Kafka.KafkaConsumer;

  constructor(
    private readonly settings: KafkaSettings,
    clientId: string,
    groupId: string,
    timing: { sessionTimeoutMs: number; maxPollIntervalMs: number },
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
        'partition.assignment.strategy': 'cooperative-sticky',
        // The broker answers a fetch as soon as one byte is there
        // (fetch.min.bytes 1), so fetch.wait.max.ms only bounds how long an
        // idle fetch is held open: 100 ms rather than 500 bounds what a
        // record pays where the broker does not answer early, for ten idle
        // fetches a second in librdkafka's own thread.
        'fetch.min.bytes': 1,
        'fetch.wait.max.ms': FETCH_WAIT_MAX_MS,
        // Prefetch a few batches per partition, not librdkafka's 100,000
        // records: enough to keep the loop fed while a batch is written,
        // without holding hundreds of MiB of a backlog in memory. A queue
        // that is full is refilled soon after it drains, not a second later.
        'queued.min.messages': QUEUED_MIN_MESSAGES,
        'fetch.queue.backoff.ms': FETCH_QUEUE_BACKOFF_MS,
        // A killed worker's partitions stay unread until its session expires
        // (librdkafka's default is 45 s); a sink wants its failover quicker.
        'session.timeout.ms': timing.sessionTimeoutMs,
        'heartbeat.interval.ms': heartbeatIntervalFor(timing.sessionTimeoutMs),
        // The runtime polls all the time, during writes and backoff too, so
        // only a loop that is stuck (a hung store call) goes this long
        // without: then the worker leaves the group rather than holding its
        // partitions hostage, and the revoke it then gets drops its batch.
        'max.poll.interval.ms': timing.maxPollIntervalMs,
        // librdkafka waits for our incrementalAssign()/incrementalUnassign()
        // call, which comes once the sink has answered `open` or written the
        // batch in hand. A plain function: node-rdkafka calls it with `this`
        // = the consumer.
        rebalance_cb: function (error: LibrdKafkaError, assignment: TopicPartition[]) {
          const partitions = assignment.filter((tp) => tp.topic === topic).map((tp) => tp.partition);
          if (error.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) onRebalance({ kind: 'assign', partitions });
          else if (error.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS) onRebalance({ kind: 'revoke', partitions });
          else log.error({ err: error.message, code: error.code }, 'rebalance failed');
        },
      },
      // Every assignment names its start offset (the sink's stored position,
      // or the beginning for a partition never written), so librdkafka only
      // resets when a position falls outside the log, i.e. the topic changed
      // under the sink. That must never happen silently: report it instead.
      { 'auto.offset.reset': 'error' },
    );
    this.consumer.on('event.error', (error: LibrdKafkaError) => {
      this.log.warn({ err: error.message, code: error.code }, 'kafka consumer error');
    });
  }

  /** Connects; a cluster that refuses the settings fails it with a ConfigError. */
  async connect(timeoutMs = 15_000): Promise<void> {
    await connectClient(
      this.consumer,
      this.settings,
      timeoutMs,
      (detail) => new Error(`cannot reach Kafka: ${detail}`),
    );
  }

  subscribe(topic: string): void {
    this.consumer.subscribe([topic]);
  }

  /**
   * Up to `count` messages; never call this twice at once. `timeoutMs` is
   * node-rdkafka's per-message timeout: the call waits that long for each
   * next record and comes back with what it has after the first wait in
   * vain (see consumeCallFor).
   */
  consume(count: number, timeoutMs: number): Promise<Message[]> {
    // Read by consume() itself on every call, so each call gets its own.
    this.consumer.setDefaultConsumeTimeout(timeoutMs);
    return new Promise<Message[]>((resolve, reject) => {
      this.consumer.consume(count, (error, messages) => (error ? reject(error) : resolve(messages)));
    });
  }

  /** Adds partitions with their start offsets in the assignment itself: a seek right after assign fails with ERR__STATE. */
  assign(assignments: Assignment[]): void {
    this.consumer.incrementalAssign(assignments);
  }

  /** Gives up revoked partitions; must be called for every revoke, the final one on disconnect too. */
  unassign(topic: string, partitions: readonly number[]): void {
    this.consumer.incrementalUnassign(partitions.map((partition) => ({ topic, partition })));
  }

  pause(topic: string, partitions: readonly number[]): void {
    if (partitions.length > 0) this.consumer.pause(partitions.map((partition) => ({ topic, partition })));
  }

  resume(topic: string, partitions: readonly number[]): void {
    if (partitions.length > 0) this.consumer.resume(partitions.map((partition) => ({ topic, partition })));
  }

  /** Moves a partition's fetch position (only once its assignment is in effect). */
  seek(topic: string, partition: number, offset: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.consumer.seek({ topic, partition, offset }, 5_000, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * How many partitions the cluster says `topic` has; 0 when it has no such
   * topic (the stack creates topics itself: the broker does not auto-create).
   */
  partitionCountOf(topic: string, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      this.consumer.getMetadata({ topic, timeout: timeoutMs }, (error, metadata) => {
        if (error) {
          reject(new Error(`cannot read the metadata of ${topic}: ${error.message}`));
          return;
        }
        const found = metadata.topics.find((candidate) => candidate.name === topic);
        resolve(found?.partitions.length ?? 0);
      });
    });
  }

  /** Asks the partition's leader for its current low and high watermarks (a round trip). */
  queryWatermarks(topic: string, partition: number, timeoutMs = 10_000): Promise<{ low: number; high: number }> {
    return new Promise((resolve, reject) => {
      this.consumer.queryWatermarkOffsets(topic, partition, timeoutMs, (error, offsets) =>
        error
          ? reject(new Error(`cannot read the watermarks of ${topic} partition ${partition}: ${error.message}`))
          : resolve({ low: offsets.lowOffset, high: offsets.highOffset }),
      );
    });
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
