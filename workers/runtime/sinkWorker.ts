import type { Message, TopicPartitionOffset } from 'node-rdkafka';
import type { DeliveringProducer } from '../../lib/kafka/deliveringProducer';
import type { Logger } from '../../lib/logger';
import type { BidCodec, DecodedBid } from '../../lib/registry/bidCodec';
import { backoffDelay } from './backoff';
import { nextPositions, PendingBatch } from './batch';
import { deadLetterRecord } from './deadLetter';
import type { SinkMetrics } from './metrics';
import type { SinkRuntimeSettings } from './settings';
import type { Sink, SinkRecord } from './sink';
import type { RebalanceEvent, SinkConsumer } from './sinkConsumer';
import { awaitedServiceOf } from './transientFailure';
import { errorMessage } from '../../lib/errorMessage';

/** The most records one consume call asks for: the timeout is per message, so a trickle holds a call for up to n × timeout. */
const MAX_CONSUME_CHUNK = 250;

/** A batch taken from the pending records, with what is already done for it, so a retry never redoes it. */
interface BatchInHand {
  messages: Message[];
  decoded: (DecodedBid | undefined)[];
  deadLettered: boolean[];
  /** Set when the batch must not be written after all (its partitions were revoked, or the worker is stopping). */
  abandoned?: string;
}

export interface SinkWorkerParts {
  sink: Sink;
  settings: SinkRuntimeSettings;
  topic: string;
  deadLetterTopic: string;
  codec: BidCodec;
  producer: DeliveringProducer;
  metrics: SinkMetrics;
  log: Logger;
}

/**
 * The consumer loop of one sink worker: gathers records into batches, turns
 * undecodable ones into dead letters, hands the rest to the sink, and waits
 * out transient failures with the partitions paused. Everything that touches
 * the batch or the assignment runs on this one loop, including rebalances:
 * librdkafka waits for our assign/unassign call, so the callback only queues
 * the event and the loop answers it between two consume calls.
 */
export class SinkWorker {
  private consumer: SinkConsumer | undefined;
  private readonly pending: PendingBatch;
  private readonly rebalances: RebalanceEvent[] = [];
  private readonly assigned = new Set<number>();
  /** partition → the next offset this worker expects to read (older ones are repeats and skipped). */
  private readonly expected = new Map<number, number>();
  /** partition → the next offset the sink has durably written, for lag. */
  private readonly written = new Map<number, number>();
  private inHand: BatchInHand | undefined;
  private paused = false;
  private stopRequested = false;
  private loopFinished = false;
  private wakeIdle: (() => void) | undefined;
  readonly totals = { records: 0, deadLetters: 0, batches: 0 };

  constructor(private readonly parts: SinkWorkerParts) {
    this.pending = new PendingBatch(parts.settings.batchMaxRecords, parts.settings.batchLingerMs);
  }

  /** For the rebalance callback of the consumer this worker drives. */
  readonly onRebalance = (event: RebalanceEvent): void => {
    if (this.loopFinished) {
      // The loop has ended (shutdown): nothing is left in hand, so answer at
      // once; the final revoke must unassign or disconnect never returns.
      void this.answerRebalanceAfterLoop(event);
      return;
    }
    this.rebalances.push(event);
    this.wakeIdle?.();
  };

  attach(consumer: SinkConsumer): void {
    this.consumer = consumer;
  }

  /** Stops calling consume after the current call; the batch in hand is then written. */
  requestStop(): void {
    this.stopRequested = true;
    this.wakeIdle?.();
  }

  /** Partition → lag (high watermark − written position), for the metrics and the status line. */
  lag(): { partition: number; lag: number }[] {
    const lags: { partition: number; lag: number }[] = [];
    for (const partition of this.assigned) {
      const high = this.consumer?.highWatermark(this.parts.topic, partition);
      const written = this.written.get(partition);
      if (high === undefined || written === undefined) continue;
      lags.push({ partition, lag: Math.max(0, high - written) });
    }
    return lags;
  }

  get assignedPartitions(): number[] {
    return [...this.assigned].sort((a, b) => a - b);
  }

  get isWaiting(): boolean {
    return this.paused;
  }

  /** Runs until `requestStop`, then writes the batch in hand. Throws on a failure retrying cannot fix. */
  async run(): Promise<void> {
    const consumer = this.requireConsumer();
    consumer.subscribe(this.parts.topic, consumeTimeoutFor(this.parts.settings.batchLingerMs));
    try {
      while (!this.stopRequested) {
        await this.serveRebalances();
        if (this.pending.isDue(Date.now())) await this.deliver(this.pending.take());
        if (this.stopRequested) break;
        await this.consumeOnce();
      }
      await this.serveRebalances();
      if (!this.pending.isEmpty()) await this.deliver(this.pending.take());
    } finally {
      this.loopFinished = true;
    }
  }

  private requireConsumer(): SinkConsumer {
    if (!this.consumer) throw new Error('the sink worker has no consumer attached');
    return this.consumer;
  }

  private async consumeOnce(): Promise<void> {
    const count = Math.max(1, Math.min(this.pending.room(), MAX_CONSUME_CHUNK));
    let messages: Message[];
    try {
      messages = await this.requireConsumer().consume(count);
    } catch (error) {
      // librdkafka reconnects by itself; a consume error (broker gone, say) is reported and waited out.
      this.parts.log.warn({ err: errorMessage(error) }, 'consume failed; trying again');
      await this.sleep(200);
      return;
    }
    this.accept(messages);
  }

  /** Adds consumed records to the pending batch, skipping any from a partition no longer ours or already read. */
  private accept(messages: readonly Message[]): void {
    const fresh: Message[] = [];
    for (const message of messages) {
      if (!this.assigned.has(message.partition)) continue;
      const expected = this.expected.get(message.partition);
      if (expected !== undefined && message.offset < expected) continue;
      this.expected.set(message.partition, message.offset + 1);
      fresh.push(message);
    }
    this.pending.add(fresh, Date.now());
  }

  private async serveRebalances(): Promise<void> {
    for (let event = this.rebalances.shift(); event; event = this.rebalances.shift()) {
      if (event.kind === 'assign') await this.openPartitions(event.partitions);
      else await this.revokePartitions(event.partitions);
    }
  }

  /** Asks the sink where each partition resumes and assigns with those offsets in the assignment itself. */
  private async openPartitions(partitions: number[]): Promise<void> {
    const { sink, topic, log } = this.parts;
    const consumer = this.requireConsumer();
    let positions: Map<number, number> | undefined;
    for (let attempt = 1; positions === undefined; attempt++) {
      try {
        positions = await sink.open(topic, partitions);
      } catch (error) {
        const service = awaitedServiceOf(error, sink.name);
        if (service === undefined) throw error;
        if (this.stopRequested) {
          // Stopping before the sink could say where to start: take nothing,
          // so the final revoke is empty and no record is read from a guess.
          consumer.assign([]);
          return;
        }
        await this.waitBeforeRetry(service, attempt, error, false);
      }
    }
    const assignments: TopicPartitionOffset[] = [];
    for (const partition of partitions) {
      const stored = positions.get(partition);
      // A partition the sink never wrote starts at its earliest offset (librdkafka's OFFSET_BEGINNING is -2).
      assignments.push({ topic, partition, offset: stored ?? -2 });
      this.assigned.add(partition);
      this.expected.delete(partition);
      if (stored !== undefined) this.expected.set(partition, stored);
      if (stored !== undefined) this.written.set(partition, stored);
      else this.written.delete(partition);
    }
    consumer.assign(assignments);
    log.info({ partitions, start: Object.fromEntries(positions) }, 'partitions assigned');
  }

  /**
   * Writes what is in hand for the revoked partitions, then lets them go. If
   * a batch is already waiting out a failure, it cannot be written now: it is
   * dropped, and the partitions' next owner reads those records again from
   * the positions the sink stored, so nothing is lost.
   */
  private async revokePartitions(partitions: number[]): Promise<void> {
    const { sink, topic, log } = this.parts;
    const revoked = new Set(partitions);
    if (this.inHand) {
      this.inHand.abandoned = 'partitions revoked while waiting';
      const dropped = this.pending.dropPartitions(revoked);
      log.warn({ partitions, dropped }, 'revoked while waiting; the next owner re-reads the unwritten records');
    } else if (!this.pending.isEmpty()) {
      await this.deliver(this.pending.take(), { once: true });
    }
    try {
      await sink.close(topic, partitions);
    } finally {
      this.forgetPartitions(partitions);
      this.requireConsumer().unassign();
      this.paused = false;
    }
    log.info({ partitions }, 'partitions revoked');
  }

  private forgetPartitions(partitions: readonly number[]): void {
    for (const partition of partitions) {
      this.assigned.delete(partition);
      this.expected.delete(partition);
      this.written.delete(partition);
    }
  }

  private async answerRebalanceAfterLoop(event: RebalanceEvent): Promise<void> {
    const consumer = this.requireConsumer();
    try {
      if (event.kind === 'revoke') await this.parts.sink.close(this.parts.topic, event.partitions);
    } catch (error) {
      this.parts.log.warn({ err: errorMessage(error) }, 'sink close failed during shutdown');
    } finally {
      this.forgetPartitions(event.partitions);
      // An assign that arrives while stopping is refused by taking nothing.
      if (event.kind === 'revoke') consumer.unassign();
      else consumer.assign([]);
    }
  }

  /**
   * Decodes, dead-letters and writes one batch, retrying transient failures
   * with backoff and the partitions paused until it succeeds, the worker is
   * asked to stop, or (with `once`, during a revoke) after the first failure.
   */
  private async deliver(messages: Message[], options: { once?: boolean } = {}): Promise<void> {
    if (messages.length === 0) return;
    const { metrics, sink } = this.parts;
    const batch: BatchInHand = {
      messages,
      decoded: new Array<DecodedBid | undefined>(messages.length),
      deadLettered: new Array<boolean>(messages.length).fill(false),
    };
    const started = Date.now();
    const stopTimer = metrics.batchDuration.startTimer();
    if (!options.once) this.inHand = batch;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.writeBatch(batch, started);
          break;
        } catch (error) {
          const service = awaitedServiceOf(error, sink.name);
          if (service === undefined) throw error;
          if (options.once) {
            this.parts.log.warn(
              { err: errorMessage(error), records: messages.length },
              `${service} unavailable during a rebalance; the next owner re-reads the unwritten records`,
            );
            return;
          }
          await this.waitBeforeRetry(service, attempt, error, true);
          if (this.stopRequested) batch.abandoned ??= 'stopping while waiting';
          if (batch.abandoned) {
            this.parts.log.warn(
              { reason: batch.abandoned, records: messages.length },
              'batch not written; it is read again from the stored positions',
            );
            return;
          }
        }
      }
    } finally {
      stopTimer();
      if (!options.once) this.inHand = undefined;
      this.endWaiting();
    }
  }

  private async writeBatch(batch: BatchInHand, started: number): Promise<void> {
    const { codec, producer, sink, metrics, log, deadLetterTopic, topic } = this.parts;
    for (let i = 0; i < batch.messages.length; i++) {
      if (batch.decoded[i] === undefined) batch.decoded[i] = await codec.decode(batch.messages[i]!.value);
    }
    // Dead letters are acknowledged before the batch that moves past them is
    // written, so an unreadable record is always somewhere.
    const sends: Promise<void>[] = [];
    const records: SinkRecord[] = [];
    const failedAt = new Date();
    batch.messages.forEach((message, i) => {
      const decoded = batch.decoded[i]!;
      if (decoded.ok) {
        records.push({ bid: decoded.bid, topic: message.topic, partition: message.partition, offset: message.offset });
      } else if (!batch.deadLettered[i]) {
        const cause = { reason: decoded.reason, detail: decoded.detail, sink: sink.name, failedAt };
        sends.push(
          producer.send(deadLetterRecord(message, cause, deadLetterTopic)).then(() => {
            batch.deadLettered[i] = true;
            metrics.deadLetters.inc({ reason: decoded.reason });
            log.warn(
              { reason: decoded.reason, detail: decoded.detail, partition: message.partition, offset: message.offset },
              'record sent to the dead-letter topic',
            );
          }),
        );
      }
    });
    const outcomes = await Promise.allSettled(sends);
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;

    const positions = nextPositions(batch.messages);
    await sink.write({ records, positions });

    const deadLetters = batch.messages.length - records.length;
    const commits: TopicPartitionOffset[] = [];
    for (const [partition, offset] of positions) {
      this.written.set(partition, offset);
      commits.push({ topic, partition, offset });
    }
    this.requireConsumer().commit(commits);
    const ms = Date.now() - started;
    metrics.recordsWritten.inc(records.length);
    metrics.batches.inc();
    metrics.lastWriteTimestamp.set(Date.now() / 1000);
    this.totals.records += records.length;
    this.totals.deadLetters += deadLetters;
    this.totals.batches += 1;
    log.info({ records: records.length, deadLetters, partitions: [...positions.keys()], ms }, 'batch written');
  }

  /**
   * Waits `backoff` before the next attempt while still calling consume, so
   * the group's rebalances are served; with `pause` the assigned partitions
   * are paused first so nothing new piles up behind the batch.
   */
  private async waitBeforeRetry(service: string, attempt: number, error: unknown, pause: boolean): Promise<void> {
    const { settings, metrics, log, topic } = this.parts;
    const delay = backoffDelay(attempt, { minMs: settings.backoffMinMs, maxMs: settings.backoffMaxMs });
    log.warn(
      { err: errorMessage(error), attempt, delayMs: delay },
      `waiting for ${service}: retry ${attempt} in ${delay} ms`,
    );
    metrics.waitingForStore.set(1);
    if (pause && !this.paused) {
      this.requireConsumer().pause(topic, this.assignedPartitions);
      this.paused = true;
    }
    if (!pause) {
      await this.sleep(delay);
      return;
    }
    const until = Date.now() + delay;
    while (Date.now() < until && !this.stopRequested && !this.inHand?.abandoned) {
      await this.serveRebalances();
      // Records fetched before the pause still arrive: they join the next batch, never lost.
      await this.consumeOnce();
    }
  }

  private endWaiting(): void {
    this.parts.metrics.waitingForStore.set(0);
    if (this.paused) {
      // resume() restarts after the last record consumed, which is exactly
      // where the pending batch ends, since the batch in hand was kept.
      this.requireConsumer().resume(this.parts.topic, this.assignedPartitions);
      this.paused = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeIdle = done;
    }).finally(() => {
      this.wakeIdle = undefined;
    });
  }
}

/** The per-message consume timeout: short enough that a trickle does not hold a batch far past its linger. */
export function consumeTimeoutFor(lingerMs: number): number {
  return Math.min(100, Math.max(5, Math.floor(lingerMs / 4)));
}
