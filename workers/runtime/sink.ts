import type { Bid } from '../../lib/bid/bid';
import type { JsonValue } from '../../lib/bid/readBid';

/** One decoded, valid bid and where it sits on the topic. */
export interface SinkRecord {
  bid: Bid;
  /** The bid's fields beyond `Bid`, added in a later version of the bid schema (see `ReadBid`); empty for most. */
  extra: Readonly<Record<string, JsonValue>>;
  /** The registry schema id the bid was written under. */
  schemaId: number;
  topic: string;
  partition: number;
  offset: number;
}

/**
 * What the runtime hands a sink to make durable: the bids, and for every
 * partition the batch touched, the offset of the next record to read once
 * this batch is written. `positions` may name a partition with no records in
 * `records` (all of them were dead-lettered): the sink still stores the new
 * position, so those records are not read again.
 */
export interface SinkBatch {
  records: readonly SinkRecord[];
  /** partition → next offset to read after this batch. */
  positions: ReadonlyMap<number, number>;
}

/**
 * A failure the runtime should wait out (database down, connection reset,
 * lock timeout): the batch is retried, unchanged, with backoff, for as long
 * as it takes. Any other error thrown by a sink stops the worker, since
 * retrying cannot help and skipping would lose bids.
 */
export class TransientSinkError extends Error {
  override name = 'TransientSinkError';
}

/**
 * The store refused the batch because of the data in it (a value it cannot
 * hold, a constraint it enforces). A store with transactions kept none of
 * the batch; one without may have kept a prefix of each partition's records,
 * which it must recognise and skip when the rest is written again. The
 * runtime splits the batch until the refused record stands alone, sends that
 * record to the dead-letter topic with this message as its detail, and
 * writes the rest, in order. Throw it only when retrying the same rows
 * cannot succeed; a configuration fault (a missing table, no
 * permission) is a `ConfigError`, which stops the worker with one line.
 *
 * When the sink knows which records it refuses (it checked them before
 * writing), it names them in `refused`: the runtime can then dead-letter
 * exactly those and write the rest without splitting the batch.
 */
export class StoreRefusedError extends Error {
  override name = 'StoreRefusedError';

  /** `refused`: the records the store named, when it can tell; empty when the runtime must find them by splitting. */
  constructor(
    message: string,
    readonly refused: readonly SinkRecord[] = [],
  ) {
    super(message);
  }
}

/**
 * A store the runtime keeps in step with the `auction` topic, modelled on
 * Kafka Connect's SinkTask. The runtime owns the consumer, batching, dead
 * letters, backoff, rebalances and shutdown; a sink only knows how to write a
 * batch durably and where it has durably got to.
 *
 * Exactly-once effect rests on `positions`: a sink stores each partition's
 * next offset atomically with the rows it wrote, and reports it back from
 * `open`. The Kafka group commit that follows is for lag monitoring only.
 */
export interface Sink {
  /** Short name: `mysql`, `csv`, `hive`. The consumer group is `<name>-sink`. */
  readonly name: string;

  /**
   * The batch shape this store prefers when the operator sets none
   * (`SINK_BATCH_MAX_RECORDS`, `SINK_BATCH_LINGER_MS` override it): a store
   * that is slow per statement, like Hive, asks for large batches. It only
   * bounds a batch while records keep arriving: one is written as soon as
   * nothing more is buffered.
   */
  readonly batching: { maxRecords: number; lingerMs: number };

  /** Connects to the store and checks it is usable (tables exist, file writable). Called once, before any partition is opened. */
  start(): Promise<void>;

  /**
   * The runtime was assigned these partitions. Returns, for each, the offset
   * of the next record to read as durably recorded by this sink; a partition
   * missing from the answer has never been written and is read from its
   * earliest offset.
   */
  open(topic: string, partitions: readonly number[]): Promise<Map<number, number>>;

  /**
   * Writes the batch and its positions durably, all or nothing, and resolves
   * only once they survive a crash. Throws `TransientSinkError` for failures
   * worth waiting out. Must be safe to call again with the same batch after a
   * failure.
   */
  write(batch: SinkBatch): Promise<void>;

  /** The partitions were revoked or the worker is stopping; every batch for them has been written. */
  close(topic: string, partitions: readonly number[]): Promise<void>;

  /** Releases connections and files. Called once, last. */
  stop(): Promise<void>;
}
