import Kafka, { type LibrdKafkaError, type MessageHeader, type ProducerGlobalConfig } from 'node-rdkafka';
import type { Logger } from '../logger';
import { connectionProperties, type KafkaSettings } from './settings';
import { errorMessage } from '../errorMessage';
import { FatalProducerError, fatalErrorOfLog, isFatalClientError, type LibrdkafkaLog } from './fatalProducerError';
import { DeliveryReportPolling } from './deliveryReportPolling';
import { connectClient } from './connectClient';

/**
 * While no record is in flight, librdkafka is still polled this often, so
 * that errors and events it queues for the application (a broker going
 * away, an idempotence error) are logged when they happen rather than with
 * the next bid. Once a second is no load on an idle process.
 */
const IDLE_POLL_INTERVAL_MS = 1_000;

/** Where the broker put a record once it acknowledged it. */
export interface Delivery {
  topic: string;
  partition: number;
  offset: number;
}

export interface OutgoingRecord {
  topic: string;
  key: Buffer | string | null;
  value: Buffer;
  headers?: MessageHeader[];
}

/** Tuning for one producer; see `.env.example` for what each one means. */
export interface ProducerTuning {
  lingerMs: number;
  /** librdkafka's `message.timeout.ms`: how long it keeps trying before it reports a definite failure. */
  messageTimeoutMs: number;
}

/** The record could not be handed to librdkafka at all (queue full, not connected): it was never sent. */
export class NotQueuedError extends Error {
  override name = 'NotQueuedError';
}

/**
 * librdkafka reported the record as failed in its delivery report.
 * node-rdkafka passes delivery errors on as text only: `message timed out`
 * (it waited in the local queue and was never sent) or `timed out` (a request
 * carrying it went unanswered, so the broker may have it).
 */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
}

type Settle = { resolve: (delivery: Delivery) => void; reject: (error: Error) => void };

/**
 * One long-lived, idempotent node-rdkafka producer whose `send` resolves
 * only when the broker has acknowledged the record (its delivery report),
 * so "sent" always means "durably in Kafka" (acks=all).
 *
 * Each record carries its own settle callbacks as the librdkafka opaque,
 * which comes back in its delivery report.
 *
 * A fatal librdkafka error (see `FatalProducerError`) is remembered and
 * announced once to `onFatal` listeners; from then on `send` refuses at
 * once and `checkUsable` fails, naming it. Records already handed over still
 * get their delivery reports: librdkafka purges those still queued (never
 * sent) and reports the in-flight ones as the broker answered them.
 */
export class DeliveringProducer {
  private readonly producer: Kafka.Producer;
  private connected = false;
  private fatal: FatalProducerError | undefined;
  private readonly fatalListeners: ((error: FatalProducerError) => void)[] = [];
  private readonly polling: DeliveryReportPolling;

  constructor(
    private readonly settings: KafkaSettings,
    clientId: string,
    tuning: ProducerTuning,
    private readonly log: Logger,
  ) {
    const config: ProducerGlobalConfig = {
      ...connectionProperties(settings, clientId),
      // Idempotence sets acks=all and bounds in-flight requests itself; setting
      // either explicitly to an incompatible value would stop the producer.
      'enable.idempotence': true,
      'linger.ms': tuning.lingerMs,
      'compression.type': 'lz4',
      dr_cb: true,
    };
    // message.timeout.ms is a topic-level property in node-rdkafka's typings.
    this.producer = new Kafka.Producer(config, { 'message.timeout.ms': tuning.messageTimeoutMs });
    this.polling = new DeliveryReportPolling(
      () => this.producer.poll(),
      (error) => {
        // After close() this is expected; before it, the client went away under us.
        if (this.connected) this.log.warn({ err: errorMessage(error) }, 'kafka producer cannot be polled any more');
      },
    );
    this.producer.on('delivery-report', (error, report) => {
      const settle = report.opaque as Settle | undefined;
      if (!settle) return;
      this.polling.recordSettled();
      if (error) settle.reject(new DeliveryFailedError(error.message));
      else settle.resolve({ topic: report.topic, partition: report.partition, offset: report.offset });
    });
    this.producer.on('event.error', (error: LibrdKafkaError) => {
      if (isFatalClientError(error)) this.raiseFatal(error.message);
      else this.log.warn({ err: error.message, code: error.code }, 'kafka producer error');
    });
    this.producer.on('event.log', (log: LibrdkafkaLog) => {
      const fatal = fatalErrorOfLog(log);
      if (fatal !== undefined) this.raiseFatal(fatal);
    });
  }

  /** Calls `listener` once if librdkafka raises a fatal error on this producer. */
  onFatal(listener: (error: FatalProducerError) => void): void {
    this.fatalListeners.push(listener);
  }

  /** The fatal error this producer failed with, if any. */
  get fatalError(): FatalProducerError | undefined {
    return this.fatal;
  }

  /** Throws the fatal error, for readiness checks: a failed producer can take no bid. */
  checkUsable(): void {
    if (this.fatal) throw this.fatal;
  }

  private raiseFatal(detail: string): void {
    if (this.fatal) return;
    this.fatal = new FatalProducerError(`the Kafka producer failed fatally and can send nothing more: ${detail}`);
    this.log.error({ err: detail }, 'kafka producer failed fatally');
    for (const listener of this.fatalListeners) listener(this.fatal);
  }

  /**
   * Connects; from then on delivery reports are polled for while records are
   * in flight. A cluster that refuses the settings fails it with a ConfigError.
   */
  async connect(timeoutMs = 10_000): Promise<void> {
    await connectClient(
      this.producer,
      this.settings,
      timeoutMs,
      (detail) => new Error(`cannot reach Kafka: ${detail}`),
    );
    this.producer.setPollInterval(IDLE_POLL_INTERVAL_MS);
    this.connected = true;
  }

  get isConnected(): boolean {
    return this.connected && this.producer.isConnected();
  }

  /** Produces one record and resolves with where the broker put it. */
  send(record: OutgoingRecord): Promise<Delivery> {
    return new Promise<Delivery>((resolve, reject) => {
      if (this.fatal) {
        reject(new NotQueuedError(this.fatal.message));
        return;
      }
      const settle: Settle = { resolve, reject };
      try {
        this.producer.produce(record.topic, null, record.value, record.key, Date.now(), settle, record.headers);
        this.polling.recordQueued();
      } catch (error) {
        // produce throws synchronously when the local queue is full, the
        // client is not connected or the producer has failed fatally; then
        // no delivery report will ever come.
        if (isFatalClientError(error)) this.raiseFatal(errorMessage(error));
        reject(new NotQueuedError(errorMessage(error)));
      }
    });
  }

  /** Resolves when the cluster answers a metadata request, for readiness checks. */
  async ping(timeoutMs: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.producer.getMetadata({ timeout: timeoutMs }, (error) =>
        error ? reject(new Error(error.message)) : resolve(),
      );
    });
  }

  /**
   * Waits for every queued record's delivery report, then disconnects.
   * `disconnect()` alone flushes for only 500 ms, so flush first.
   */
  async close(flushTimeoutMs = 30_000): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    // flush polls by itself until the queue is empty; the interval would only race it.
    this.polling.stop();
    await new Promise<void>((resolve) => {
      this.producer.flush(flushTimeoutMs, (error) => {
        if (error) this.log.warn({ err: error.message }, 'producer flush did not complete');
        resolve();
      });
    });
    await new Promise<void>((resolve) => this.producer.disconnect(() => resolve()));
  }
}
