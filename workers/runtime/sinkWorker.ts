import { CODES, type LibrdKafkaError, type Message, type TopicPartitionOffset } from 'node-rdkafka';
import { errorMessage } from '../../lib/errorMessage';
import type { Logger } from '../../lib/logger';
import type { BidCodec } from '../../lib/registry/bidCodec';
import { backoffDelay } from './backoff';
import { PendingBatch } from './batch';
import { ConsumeChunk, consumeBudgetFor } from './consumeChunk';
import { consumeCallFor, type ConsumePurpose } from './consumeCall';
import { BatchInHand, splitEntries, storeRequestOf, type BatchEntry } from './batchInHand';
import type { DeadLetters } from './deadLetters';
import { classifyFailure, KafkaUnavailableError } from './errorPolicy';
import type { MembershipWatch } from './membershipWatch';
import type { SinkMetrics } from './metrics';
import { PartitionPauses } from './partitionPauses';
import { PartitionPositions } from './partitionPositions';
import { checkStoredPosition, PositionBeyondEndError } from './positionCheck';
import { isReplayForAnotherSink } from './replayTarget';
import type { SinkRuntimeSettings } from './settings';
import { StoreRefusedError, type Sink } from './sink';
import type { RebalanceEvent, SinkConsumer } from './sinkConsumer';
import { AssignmentLostError } from './sinkContext';

/**
 * How long a full next batch waits for the write in hand without the
 * partitions being paused: a database write of a few thousand rows takes
 * well under this; a longer one pauses them (see waitOutShortBackpressure).
 */
const BACKPRESSURE_GRACE_MS = 1_000;

/** librdkafka's offset for "the partition's first record", used for a partition the sink never wrote. */
const OFFSET_BEGINNING = -2;

export interface SinkWorkerParts {
  sink: Sink;
  settings: SinkRuntimeSettings;
  topic: string;
  codec: BidCodec;
  deadLetters: DeadLetters;
  metrics: SinkMetrics;
  membership: MembershipWatch;
  log: Logger;
}

/**
 * The consumer loop of one sink worker, in the part of Kafka Connect's
 * WorkerSinkTask: gathers records into batches, dead-letters the ones that
 * are not bids, hands the rest to the sink, and applies the error policy
 * (errorPolicy.ts) to whatever the sink or the registry throws. The other
 * parts live beside it: which partitions it owns and where it stands
 * (PartitionPositions), what is paused and why (PartitionPauses), whether the
 * group can still be trusted (MembershipWatch), dead letters (DeadLetters).
 *
 * Everything runs on this one loop, rebalances included: librdkafka waits for
 * our incremental assign/unassign, so the callback only queues the event and
 * the loop answers it between two steps. The loop polls Kafka all the time,
 * during writes and backoff too, so rebalances are always heard and the next
 * batch gathers while the current one is written.
 */
export class SinkWorker {
  private consumer: SinkConsumer | undefined;
  private pauses: PartitionPauses | undefined;
  private readonly pending: PendingBatch;
  private readonly chunk: ConsumeChunk;
  /** Since when the next batch has been full, while a write runs. */
  private fullSince: number | undefined;
  private readonly rebalances: RebalanceEvent[] = [];
  private readonly positions = new PartitionPositions();
  private inHand: BatchInHand | undefined;
  private inHandSince: number | undefined;
  private stopRequested = false;
  private loopFinished = false;
  private servingRebalances = false;
  private wakeIdle: (() => void) | undefined;
  readonly totals = { records: 0, deadLetters: 0, batches: 0, skipped: 0 };

  constructor(private readonly parts: SinkWorkerParts) {
    this.pending = new PendingBatch(parts.settings.batchMaxRecords, parts.settings.batchLingerMs);
    this.chunk = new ConsumeChunk(consumeBudgetFor(parts.settings.batchLingerMs));
  }

  /** For the rebalance callback of the consumer this worker drives. */
  readonly onRebalance = (event: RebalanceEvent): void => {
    if (this.loopFinished) {
      // The loop has ended (shutdown or failure): nothing is in hand, so
      // answer at once; the final revoke must unassign or disconnect hangs.
      void this.answerRebalanceAfterLoop(event);
      return;
    }
    this.rebalances.push(event);
    this.wakeIdle?.();
  };

  attach(consumer: SinkConsumer): void {
    this.consumer = consumer;
    const topic = this.parts.topic;
    this.pauses = new PartitionPauses({
      pause: (partitions) => consumer.pause(topic, partitions),
      resume: (partitions) => consumer.resume(topic, partitions),
    });
  }

  /** Stops calling consume after the current step; the batch in hand is then written, unless it is waiting out a failure. */
  requestStop(): void {
    this.stopRequested = true;
    this.wakeIdle?.();
  }

  /** For the sink's context: see `SinkContext.assertAssignment`. */
  assertAssignment(): void {
    if (this.rebalances.some((event) => event.kind === 'revoke')) {
      throw new AssignmentLostError("a revoke of this worker's partitions is waiting to be answered");
    }
    const doubt = this.parts.membership.doubt();
    if (doubt !== undefined) throw new AssignmentLostError(doubt);
  }

  /** Partition → lag (high watermark − written position), for the metrics and the status line. */
  lag(): { partition: number; lag: number }[] {
    const lags: { partition: number; lag: number }[] = [];
    for (const partition of this.positions.partitions) {
      const high = this.consumer?.highWatermark(this.parts.topic, partition);
      const written = this.positions.writtenOf(partition);
      if (high === undefined || written === undefined) continue;
      lags.push({ partition, lag: Math.max(0, high - written) });
    }
    return lags;
  }

  get assignedPartitions(): number[] {
    return this.positions.partitions;
  }

  /** Paused partitions and why, for the status line and the metrics: a paused partition is never silent. */
  get pauseState(): { partitions: number[]; reasons: string[] } {
    return { partitions: this.pauses?.pausedPartitions ?? [], reasons: this.pauses?.activeReasons ?? [] };
  }

  /** How long the batch being written has been in hand (0 when none): a store call that hangs shows here. */
  get batchInHandMs(): number {
    return this.inHandSince === undefined ? 0 : Date.now() - this.inHandSince;
  }

  get isWaiting(): boolean {
    return this.pauses?.activeReasons.includes('waiting') ?? false;
  }

  /** Runs until `requestStop`, then writes the batch in hand. Throws on a failure the error policy stops for. */
  async run(): Promise<void> {
    const consumer = this.requireConsumer();
    consumer.subscribe(this.parts.topic);
    this.parts.membership.start();
    try {
      while (!this.stopRequested) {
        await this.serveRebalances();
        if (this.pending.isDue(Date.now())) {
          // The next batch gathered while this one was written: it is
          // looked at before consuming again, so a due batch never waits.
          await this.deliver(this.pending.take());
          continue;
        }
        await this.consumeOnce('gather');
      }
      await this.serveRebalances();
      if (!this.pending.isEmpty()) await this.deliver(this.pending.take());
    } finally {
      this.loopFinished = true;
      this.parts.membership.stop();
    }
  }

  private requireConsumer(): SinkConsumer {
    if (!this.consumer) throw new Error('the sink worker has no consumer attached');
    return this.consumer;
  }

  private requirePauses(): PartitionPauses {
    if (!this.pauses) throw new Error('the sink worker has no consumer attached');
    return this.pauses;
  }

  /** One consume call (never two at once: every caller awaits it). */
  private async consumeOnce(purpose: ConsumePurpose): Promise<void> {
    const room = this.pending.room();
    if (room === 0 && purpose === 'beside-work' && (await this.waitOutShortBackpressure())) return;
    // A next batch that stays full stops fetching until the batch in hand is written.
    if (room === 0) this.requirePauses().hold('backpressure');
    else {
      this.fullSince = undefined;
      this.requirePauses().release('backpressure');
    }
    const call = consumeCallFor(purpose, this.pending.isEmpty(), this.chunk.size(room));
    const startedAt = Date.now();
    let messages: Message[];
    try {
      messages = await this.requireConsumer().consume(call.count, call.timeoutMs);
    } catch (error) {
      if ((error as LibrdKafkaError).code === CODES.ERRORS.ERR__AUTO_OFFSET_RESET) {
        // A position fell outside the log while reading: the topic changed under the sink.
        await this.verifyPositions();
        return;
      }
      // librdkafka reconnects by itself; a consume error (broker gone, say) is reported and waited out.
      this.parts.log.warn({ err: errorMessage(error) }, 'consume failed; trying again');
      await this.sleep(200);
      return;
    }
    if (call.chunked && room > 0) this.chunk.observe(call.count, messages.length, Date.now() - startedAt);
    // A short answer means the consumer has nothing more buffered: the
    // pending batch is then due (the batching rule, see PendingBatch).
    this.accept(messages, room > 0 && messages.length < call.count);
  }

  /**
   * With the next batch full while the batch in hand is written, waits for
   * the write to end (or a stop) without consuming, up to
   * BACKPRESSURE_GRACE_MS; true if it waited. Pausing the partitions instead
   * makes librdkafka drop what it prefetched and fetch it again on resume,
   * which stalled a backlog drain for over half a second per batch: worth
   * it only for a write that takes long (Hive, a slow store). librdkafka
   * heartbeats from its own thread, so the short wait costs the group
   * nothing; a rebalance is answered when it ends.
   */
  private async waitOutShortBackpressure(): Promise<boolean> {
    const now = Date.now();
    this.fullSince ??= now;
    const left = this.fullSince + BACKPRESSURE_GRACE_MS - now;
    if (left <= 0 || this.stopRequested) return false;
    await this.sleep(left);
    return true;
  }

  /** Adds consumed records to the pending batch; a record from a partition not ours, or already read, is counted and dropped. */
  private accept(messages: readonly Message[], consumerDrained: boolean): void {
    const { fresh, repeats, strays } = this.positions.accept(messages);
    if (repeats > 0) {
      this.parts.metrics.recordsSkipped.inc({ reason: 'repeat' }, repeats);
      this.parts.log.warn({ records: repeats }, 'records before the expected position were read again; skipped');
    }
    if (strays > 0) this.parts.metrics.recordsSkipped.inc({ reason: 'not-assigned' }, strays);
    // Decoding is CPU work on this thread; done here it overlaps the store's
    // work on the batch in hand instead of delaying the next write. A record
    // whose schema is not looked up yet is decoded when its batch is written.
    const entries: BatchEntry[] = fresh.map((message) => ({
      message,
      decoded: this.parts.codec.decodeIfKnown(message.value),
    }));
    this.pending.add(entries, Date.now(), consumerDrained);
  }

  /** Runs `work` while polling Kafka, so rebalances are heard and the next batch gathers; never returns with a consume call in flight. */
  private async whilePolling<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => {
      settled = true;
      this.wakeIdle?.();
    });
    done.catch(() => undefined);
    try {
      while (!settled) await this.consumeOnce('beside-work');
    } catch (error) {
      // The poll failed for good (the topic changed under the sink): let the work finish before stopping.
      await done.catch(() => undefined);
      throw error;
    }
    return done;
  }

  private async serveRebalances(): Promise<void> {
    // An assignment whose `open` is being retried polls, and so queues more
    // events: they are answered in order once it is done, never nested.
    if (this.servingRebalances) return;
    this.servingRebalances = true;
    try {
      for (let event = this.rebalances.shift(); event; event = this.rebalances.shift()) {
        if (event.kind === 'assign') await this.openPartitions(event.partitions);
        else await this.revokePartitions(event.partitions);
        this.parts.membership.settled();
      }
    } finally {
      this.servingRebalances = false;
    }
  }

  /** Asks the sink where each partition resumes, checks it against the log, and assigns with those offsets in the assignment itself. */
  private async openPartitions(partitions: number[]): Promise<void> {
    const { log } = this.parts;
    // The group has handed them over; they are taken once the sink says where they resume (which waits for the store).
    log.info({ partitions, assigned: this.positions.partitions }, 'partitions handed over; opening them');
    let starts: Map<number, number> | undefined;
    let waited = false;
    try {
      for (let attempt = 1; starts === undefined; attempt++) {
        try {
          starts = await this.whilePolling(this.startPositions(partitions));
        } catch (error) {
          const failure = classifyFailure(error, this.parts.sink.name);
          if (failure.kind !== 'transient') throw error;
          if (this.stopRequested) break;
          waited = true;
          await this.waitBeforeRetry(failure.awaited, attempt, error);
        }
      }
    } catch (error) {
      // Stopping: librdkafka still needs its answer, or leaving the group hangs.
      this.takePartitions(partitions, new Map());
      throw error;
    } finally {
      // A batch in hand that is waiting out the same outage keeps the partitions paused.
      if (waited && !this.inHand) this.endWaiting();
    }
    if (starts === undefined) {
      // Stopping before the sink could say where to start: take the
      // partitions without reading them, so the final revoke is answered.
      this.takePartitions(partitions, new Map());
      return;
    }
    this.takePartitions(partitions, starts);
    log.info(
      { partitions, start: Object.fromEntries(starts), assigned: this.positions.partitions },
      'partitions assigned',
    );
  }

  private takePartitions(partitions: readonly number[], starts: ReadonlyMap<number, number>): void {
    const { topic } = this.parts;
    const assignments: TopicPartitionOffset[] = partitions.map((partition) => ({
      topic,
      partition,
      offset: starts.get(partition) ?? OFFSET_BEGINNING,
    }));
    for (const partition of partitions) this.positions.add(partition, starts.get(partition));
    this.requireConsumer().assign(assignments);
    this.requirePauses().assign(partitions);
  }

  /**
   * The sink's stored positions, each checked against its partition's
   * watermarks: past the end stops the worker (the topic changed under the
   * sink; reading on would skip or repeat); before the start says how many
   * records retention removed, and starts at the first one left.
   */
  private async startPositions(partitions: number[]): Promise<Map<number, number>> {
    const { sink, topic, log, metrics } = this.parts;
    const stored = await sink.open(topic, partitions);
    const starts = new Map<number, number>();
    for (const [partition, position] of stored) {
      const watermarks = await this.requireConsumer()
        .queryWatermarks(topic, partition)
        .catch((error: unknown) => {
          throw new KafkaUnavailableError(errorMessage(error));
        });
      const verdict = checkStoredPosition(position, watermarks);
      if (verdict.kind === 'beyond-end') {
        throw new PositionBeyondEndError(sink.name, topic, partition, position, verdict.end);
      }
      if (verdict.kind === 'before-start') {
        metrics.retentionRemoved.inc(verdict.removed);
        log.warn(
          { partition, stored: position, start: verdict.start, removed: verdict.removed },
          `${verdict.removed} records of partition ${partition} were removed by retention before this sink read them; going on from offset ${verdict.start}`,
        );
        starts.set(partition, verdict.start);
      } else {
        starts.set(partition, position);
      }
    }
    return starts;
  }

  /** After librdkafka found a position outside the log: stop if one is past the end, move on past removed records otherwise. */
  private async verifyPositions(): Promise<void> {
    const { sink, topic, log, metrics } = this.parts;
    for (const partition of this.positions.partitions) {
      const expected = this.positions.expectedOf(partition);
      if (expected === undefined) continue;
      const watermarks = await this.requireConsumer().queryWatermarks(topic, partition);
      const verdict = checkStoredPosition(expected, watermarks);
      if (verdict.kind === 'beyond-end')
        throw new PositionBeyondEndError(sink.name, topic, partition, expected, verdict.end);
      if (verdict.kind === 'before-start') {
        metrics.retentionRemoved.inc(verdict.removed);
        log.warn(
          { partition, expected, start: verdict.start, removed: verdict.removed },
          `${verdict.removed} records of partition ${partition} were removed by retention before this sink read them; going on from offset ${verdict.start}`,
        );
        this.positions.expect(partition, verdict.start);
        await this.requireConsumer().seek(topic, partition, verdict.start);
      }
    }
  }

  /**
   * Lets revoked partitions go. What is pending for them is dropped, and so
   * is the unwritten part of a batch waiting out a failure: their next owner
   * reads those records again from the positions the sink stored. Records
   * of partitions this worker keeps stay where they are.
   */
  private async revokePartitions(partitions: number[]): Promise<void> {
    const { sink, topic, log } = this.parts;
    const revoked = new Set(partitions);
    try {
      const dropped = (this.inHand?.dropPartitions(revoked) ?? 0) + this.pending.dropPartitions(revoked);
      if (dropped > 0) log.warn({ partitions, dropped }, 'revoked before written; the next owner reads them again');
      await sink.close(topic, partitions);
    } catch (error) {
      log.warn({ err: errorMessage(error), partitions }, 'sink close failed on revoke');
    } finally {
      this.positions.remove(partitions);
      this.requirePauses().revoke(partitions);
      this.requireConsumer().unassign(topic, partitions);
    }
    log.info({ partitions, assigned: this.positions.partitions }, 'partitions revoked');
  }

  private async answerRebalanceAfterLoop(event: RebalanceEvent): Promise<void> {
    const { sink, topic, log } = this.parts;
    try {
      if (event.kind === 'revoke') await sink.close(topic, event.partitions);
    } catch (error) {
      log.warn({ err: errorMessage(error) }, 'sink close failed during shutdown');
    } finally {
      if (event.kind === 'revoke') {
        this.positions.remove(event.partitions);
        this.requireConsumer().unassign(topic, event.partitions);
      } else {
        // An assignment that arrives while stopping is taken and never read.
        this.requireConsumer().assign(event.partitions.map((partition) => ({ topic, partition })));
      }
    }
  }

  /**
   * Decodes, dead-letters and writes one batch, applying the error policy:
   * transient failures are retried with backoff and the partitions paused
   * until the batch is written, its partitions are all revoked, or the worker
   * is asked to stop; a doubtful assignment is confirmed before writing.
   */
  private async deliver(entries: BatchEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { metrics, sink, log } = this.parts;
    const batch = new BatchInHand(entries);
    const messages = entries.map((entry) => entry.message);
    const started = Date.now();
    const stopTimer = metrics.batchDuration.startTimer();
    this.inHand = batch;
    this.inHandSince = Date.now();
    try {
      for (let attempt = 1; !batch.isStored;) {
        try {
          if (!(await this.confirmMembership())) {
            log.warn(
              { records: batch.unstored().length },
              'stopping while the assignment is in doubt: batch not written; it is read again from the stored positions',
            );
            return;
          }
          if (batch.isStored) break;
          await this.whilePolling(this.writeBatch(batch));
          break;
        } catch (error) {
          const failure = classifyFailure(error, sink.name);
          if (failure.kind === 'stop' || failure.kind === 'refused') throw error;
          if (failure.kind === 'assignment-lost') {
            log.warn({ reason: failure.reason }, 'batch held back: the group may have moved its partitions');
            metrics.assignmentDoubts.inc();
            await this.serveRebalances();
            continue;
          }
          await this.waitBeforeRetry(failure.awaited, attempt++, error);
          if (this.stopRequested) batch.abandoned ??= 'stopping while waiting';
          if (batch.abandoned) {
            log.warn(
              { reason: batch.abandoned, records: batch.unstored().length },
              'batch not written; it is read again from the stored positions',
            );
            return;
          }
        }
      }
      log.debug(
        { records: batch.entries.length, partitions: partitionsOf(messages), ms: Date.now() - started },
        'batch done',
      );
    } finally {
      stopTimer();
      this.inHand = undefined;
      this.inHandSince = undefined;
      this.endWaiting();
    }
  }

  /**
   * Waits, polling, while the membership watch doubts the assignment; a
   * revoke heard meanwhile shrinks the batch. False when the worker is asked
   * to stop before the doubt is lifted: then nothing may be written.
   */
  private async confirmMembership(): Promise<boolean> {
    const { membership, log } = this.parts;
    let doubt = membership.doubt();
    if (doubt === undefined) return true;
    log.warn({ reason: doubt }, 'not writing until the group confirms this worker still owns its partitions');
    this.parts.metrics.assignmentDoubts.inc();
    while (doubt !== undefined && !this.inHand?.isStored) {
      if (this.stopRequested) return false;
      await this.serveRebalances();
      await this.consumeOnce('wait');
      doubt = membership.doubt();
    }
    log.info({ partitions: this.positions.partitions }, 'assignment settled; writing');
    return true;
  }

  private async writeBatch(batch: BatchInHand): Promise<void> {
    const { codec, sink, metrics } = this.parts;
    for (const entry of batch.unstored()) {
      if (entry.settled !== undefined || entry.record !== undefined) continue;
      if (isReplayForAnotherSink(entry.message.headers, sink.name)) {
        entry.settled = 'skipped';
        metrics.recordsSkipped.inc({ reason: 'replay-for-another-sink' });
        this.totals.skipped += 1;
        continue;
      }
      const decoded = entry.decoded ?? (await codec.decode(entry.message.value));
      entry.decoded = decoded;
      if (decoded.ok) {
        const { topic, partition, offset } = entry.message;
        entry.record = { bid: decoded.bid, extra: decoded.extra, schemaId: decoded.schemaId, topic, partition, offset };
      }
    }
    // Dead letters are acknowledged before the batch that moves past them is
    // written, so an unreadable record is always somewhere.
    const unreadable = batch.unstored().filter((entry) => entry.decoded?.ok === false && entry.settled === undefined);
    const outcomes = await Promise.allSettled(
      unreadable.map(async (entry) => {
        if (entry.decoded?.ok !== false) return;
        await this.parts.deadLetters.send(entry.message, entry.decoded.reason, entry.decoded.detail);
        entry.settled = 'dead-lettered';
        this.totals.deadLetters += 1;
      }),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    await this.storeRun(batch, batch.unstored());
  }

  /**
   * Writes a run of entries that starts where the batch's stored prefix
   * ends. A run the store refuses as data is split until the refused record
   * stands alone, which is dead-lettered; the rest is written, in order.
   */
  private async storeRun(batch: BatchInHand, entries: BatchEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { records, positions } = storeRequestOf(entries);
    try {
      await this.parts.sink.write({ records, positions });
    } catch (error) {
      if (!(error instanceof StoreRefusedError)) throw error;
      await this.isolateRefused(batch, entries, error);
      return;
    }
    batch.markStored(entries.length);
    this.afterStored(records.length, positions);
  }

  private async isolateRefused(batch: BatchInHand, entries: BatchEntry[], error: StoreRefusedError): Promise<void> {
    const named = new Set(error.refused.map((record) => `${record.partition}:${record.offset}`));
    const namedEntries = entries.filter(
      (entry) => entry.record && named.has(`${entry.record.partition}:${entry.record.offset}`),
    );
    if (namedEntries.length > 0) {
      for (const entry of namedEntries) await this.refuse(entry, error.message);
      await this.storeRun(batch, entries);
      return;
    }
    const withRecords = entries.filter((entry) => entry.record);
    if (withRecords.length === 0) throw error;
    if (withRecords.length === 1) {
      await this.refuse(withRecords[0]!, error.message);
      await this.storeRun(batch, entries);
      return;
    }
    this.parts.log.info(
      { records: withRecords.length, err: error.message },
      'the store refused the batch as data; splitting it to find the record',
    );
    const [left, right] = splitEntries(entries);
    await this.storeRun(batch, left);
    await this.storeRun(batch, right);
  }

  private async refuse(entry: BatchEntry, detail: string): Promise<void> {
    await this.parts.deadLetters.send(entry.message, 'store-refused', detail);
    entry.record = undefined;
    entry.settled = 'dead-lettered';
    this.totals.deadLetters += 1;
  }

  private afterStored(records: number, positions: ReadonlyMap<number, number>): void {
    const { topic, metrics, log } = this.parts;
    this.positions.markWritten(positions);
    const commits: TopicPartitionOffset[] = [];
    for (const [partition, offset] of positions) {
      if (this.positions.owns(partition)) commits.push({ topic, partition, offset });
    }
    this.requireConsumer().commit(commits);
    metrics.recordsWritten.inc(records);
    metrics.batches.inc();
    metrics.lastWriteTimestamp.set(Date.now() / 1000);
    this.totals.records += records;
    this.totals.batches += 1;
    log.info({ records, partitions: [...positions.keys()] }, 'batch written');
  }

  /**
   * Waits `backoff` before the next attempt with every assigned partition
   * paused, still polling so the group's rebalances are served and nothing
   * new piles up behind the batch.
   */
  private async waitBeforeRetry(awaited: string, attempt: number, error: unknown): Promise<void> {
    const { settings, metrics, log } = this.parts;
    const delay = backoffDelay(attempt, { minMs: settings.backoffMinMs, maxMs: settings.backoffMaxMs });
    log.warn(
      { err: errorMessage(error), attempt, delayMs: delay, pausedPartitions: this.positions.partitions },
      `waiting for ${awaited}: retry ${attempt} in ${delay} ms`,
    );
    metrics.waitingForStore.set(1);
    this.requirePauses().hold('waiting');
    const until = Date.now() + delay;
    while (Date.now() < until && !this.stopRequested && !this.inHand?.abandoned && !this.inHand?.isStored) {
      await this.serveRebalances();
      // Records fetched before the pause still arrive: they join the next batch, never lost.
      await this.consumeOnce('wait');
    }
  }

  private endWaiting(): void {
    this.parts.metrics.waitingForStore.set(0);
    // resume() restarts after the last record consumed, which is exactly
    // where the pending batch ends, since every consumed record was kept.
    this.requirePauses().release('waiting');
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

function partitionsOf(messages: readonly Message[]): number[] {
  return [...new Set(messages.map((message) => message.partition))].sort((a, b) => a - b);
}
