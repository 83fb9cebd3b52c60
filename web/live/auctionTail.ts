import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import Kafka, { type LibrdKafkaError, type Message } from 'node-rdkafka';
import { connectClient } from '../../lib/kafka/connectClient';
import { connectionProperties, type KafkaSettings } from '../../lib/kafka/settings';
import type { Logger } from '../../lib/logger';
import { errorMessage } from '../../lib/errorMessage';
import type { PositionVector } from './positionVector';

/**
 * Records taken from librdkafka's queue at once: their events (up to three a bid) go out as one write
 * per client, which stays under the default client buffer (SSE_CLIENT_BUFFER_EVENTS) so a burst alone
 * never drops a client that keeps up.
 */
const BATCH_SIZE = 250;
/**
 * How long one consume call waits for a first record when the topic is
 * quiet. A record that arrives wakes it at once, so this costs no latency;
 * it only sets how often an idle loop goes round (and how long a stop waits).
 */
const CONSUME_TIMEOUT_MS = 250;
/**
 * librdkafka `fetch.wait.max.ms`: how long the broker holds a fetch with
 * nothing to return. A new record completes the held fetch at once, so this
 * is the idle cost (one fetch per partition leader this often), not a delay
 * per record; see the README, "Live updates", for the idle CPU measured.
 */
const FETCH_WAIT_MAX_MS = 25;
/** How often the topic's partition count is checked, to start reading partitions added later. */
const PARTITION_CHECK_MS = 30_000;
/** The wait after a failed consume call before the next. */
const RETRY_MS = 1_000;

/**
 * The web instance's own reader of the bid topic, with no consumer group
 * state: every partition is assigned explicitly (from the high watermark at
 * start-up, from the beginning for a partition added later), nothing is ever
 * committed, and the group id is unique to the process, so any number of
 * instances each read every record and none affects another or the sinks.
 * One consume call at a time; `onRecords` is awaited before the next.
 */
export class AuctionTail {
  private readonly consumer: Kafka.KafkaConsumer;
  private partitions = 0;
  private stopping = false;
  private loopDone: Promise<void> = Promise.resolve();
  private partitionCheck: NodeJS.Timeout | undefined;

  private onRecords: (records: Message[]) => Promise<void> = async () => {};
  private onPartitionAdded: (partition: number, startOffset: number) => void = () => {};

  constructor(
    private readonly settings: KafkaSettings,
    private readonly log: Logger,
  ) {
    this.consumer = new Kafka.KafkaConsumer(
      {
        ...connectionProperties(settings, 'auction-web-live'),
        // Never joins a group (assign, not subscribe) and never commits: the id only has to be unique.
        'group.id': `auction-web-live-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'fetch.wait.max.ms': FETCH_WAIT_MAX_MS,
        // Each consume call ends as soon as the partitions are read to their end, instead of waiting per message.
        'enable.partition.eof': true,
      },
      // A position that falls outside the log (retention, a recreated topic) goes on from the newest record.
      { 'auto.offset.reset': 'latest' },
    );
    this.consumer.on('event.error', (error: LibrdKafkaError) => {
      this.log.warn({ err: error.message, code: error.code }, 'live feed: kafka consumer error');
    });
  }

  async connect(timeoutMs = 15_000): Promise<void> {
    await connectClient(
      this.consumer,
      this.settings,
      timeoutMs,
      (detail) => new Error(`live feed cannot reach Kafka: ${detail}`),
    );
    this.consumer.setDefaultConsumeTimeout(CONSUME_TIMEOUT_MS);
  }

  /** Assigns every partition at its high watermark as of now; returns where it will start. */
  async assignAtHighWatermarks(): Promise<PositionVector> {
    const count = await this.partitionCount();
    if (count === 0) throw new Error(`live feed: the topic ${this.settings.topic} does not exist (KAFKA_TOPIC)`);
    const positions = new Map<number, number>();
    for (let partition = 0; partition < count; partition += 1) {
      positions.set(partition, (await this.watermarks(partition)).high);
    }
    this.consumer.assign(
      [...positions].map(([partition, offset]) => ({ topic: this.settings.topic, partition, offset })),
    );
    this.partitions = count;
    this.log.info({ topic: this.settings.topic, positions: Object.fromEntries(positions) }, 'live feed reading');
    return positions;
  }

  /**
   * Starts reading: `onRecords` gets each batch (awaited before the next
   * consume call), `onPartitionAdded` each partition added to the topic later.
   */
  run(
    onRecords: (records: Message[]) => Promise<void>,
    onPartitionAdded: (partition: number, startOffset: number) => void,
  ): void {
    this.onRecords = onRecords;
    this.onPartitionAdded = onPartitionAdded;
    this.loopDone = this.loop();
    this.partitionCheck = setInterval(() => void this.addNewPartitions(), PARTITION_CHECK_MS);
    this.partitionCheck.unref();
  }

  /** Stops after the consume call in flight, then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.partitionCheck);
    await this.loopDone;
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let records: Message[];
      try {
        records = await new Promise<Message[]>((resolve, reject) => {
          this.consumer.consume(BATCH_SIZE, (error, messages) => (error ? reject(error) : resolve(messages)));
        });
      } catch (error) {
        this.log.warn({ err: errorMessage(error), retryInMs: RETRY_MS }, 'live feed: consume failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      if (records.length === 0) continue;
      try {
        await this.onRecords(records);
      } catch (error) {
        // The feed handles its own waits (a registry outage); anything else is a bug to see, not a reason to stop reading.
        this.log.error({ err: errorMessage(error) }, 'live feed: records could not be announced');
      }
    }
  }

  /** Partitions added to the topic after start-up are read from their beginning: every record in them is new. */
  private async addNewPartitions(): Promise<void> {
    try {
      const count = await this.partitionCount();
      for (let partition = this.partitions; partition < count; partition += 1) {
        const { low } = await this.watermarks(partition);
        this.partitions = partition + 1;
        this.onPartitionAdded(partition, low);
        this.consumer.incrementalAssign([{ topic: this.settings.topic, partition, offset: low }]);
        this.log.info({ topic: this.settings.topic, partition, offset: low }, 'live feed reading a new partition');
      }
    } catch (error) {
      this.log.warn(
        { err: errorMessage(error) },
        'live feed: cannot check the topic for new partitions; trying again later',
      );
    }
  }

  private partitionCount(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.consumer.getMetadata({ topic: this.settings.topic, timeout: 10_000 }, (error, metadata) => {
        if (error) {
          reject(new Error(`cannot read the metadata of ${this.settings.topic}: ${error.message}`));
          return;
        }
        resolve(metadata.topics.find((topic) => topic.name === this.settings.topic)?.partitions.length ?? 0);
      });
    });
  }

  private watermarks(partition: number): Promise<{ low: number; high: number }> {
    return new Promise((resolve, reject) => {
      this.consumer.queryWatermarkOffsets(this.settings.topic, partition, 10_000, (error, offsets) =>
        error
          ? reject(
              new Error(
                `cannot read the watermarks of ${this.settings.topic} partition ${partition}: ${error.message}`,
              ),
            )
          : resolve({ low: offsets.lowOffset, high: offsets.highOffset }),
      );
    });
  }
}
