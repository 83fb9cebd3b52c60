import type { Env } from '../../lib/env';
import type { Logger } from '../../lib/logger';

/**
 * What the runtime tells a sink about where it runs, in the spirit of Kafka
 * Connect's SinkTaskContext: the topic it copies, the consumer group its
 * worker reads in, a logger carrying the sink's role, and the settings the
 * process was started with. A sink reads its own settings from `env` and
 * never re-derives the group or topic from it.
 */
export interface SinkContext {
  /** The source topic (`KAFKA_TOPIC`, `auction` by default). */
  readonly topic: string;
  /** The consumer group (`SINK_CONSUMER_GROUP`, `<sink>-sink` by default): MySQL keys its positions by it. */
  readonly group: string;
  readonly log: Logger;
  readonly env: Env;
  /**
   * Throws `AssignmentLostError` when this worker can no longer be sure the
   * group still gives it the partitions it is writing: the process stalled
   * for longer than the session timeout (a SIGSTOP, a long GC pause), or a
   * revoke is waiting to be answered. A store without transactions calls it
   * before each statement, so a worker the group has moved on from stops
   * writing instead of writing what the partitions' new owner also writes.
   */
  assertAssignment(): void;
}

/** The group may have handed this worker's partitions to another member: the batch is not written now. */
export class AssignmentLostError extends Error {
  override name = 'AssignmentLostError';
}
