import Kafka, { type LibrdKafkaError, type MessageHeader, type ProducerGlobalConfig } from 'node-rdkafka';
import type { Logger } from '../logger';
import { connectionProperties, type KafkaSettings } from './settings';
import { errorMessage } from '../errorMessage';

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
 */
export class DeliveringProducer {
  private readonly producer: Kafka.Producer;
  private connected = false;

  constructor(
    settings: KafkaSettings,
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
    this.producer.on('delivery-report', (error, report) => {
      const settle = report.opaque as Settle | undefined;
      if (!settle) return;
      if (error) settle.reject(new DeliveryFailedError(error.message));
      else settle.resolve({ topic: report.topic, partition: report.partition, offset: report.offset });
    });
    this.producer.on('event.error', (error: LibrdKafkaError) => {
      this.log.warn({ err: error.message, code: error.code }, 'kafka producer error');
    });
  }

  /** Connects and starts polling for delivery reports. */
  async connect(timeoutMs = 10_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.producer.connect({ timeout: timeoutMs }, (error) =>
        error ? reject(new Error(`cannot reach Kafka: ${error.message}`)) : resolve(),
      );
    });
    this.producer.setPollInterval(25);
    this.connected = true;
  }

  get isConnected(): boolean {
    return this.connected && this.producer.isConnected();
  }

  /** Produces one record and resolves with where the broker put it. */
  send(record: OutgoingRecord): Promise<Delivery> {
    return new Promise<Delivery>((resolve, reject) => {
      const settle: Settle = { resolve, reject };
      try {
        this.producer.produce(record.topic, null, record.value, record.key, Date.now(), settle, record.headers);
      } catch (error) {
        // produce throws synchronously when the local queue is full or the
        // client is not connected; then no delivery report will ever come.
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
    await new Promise<void>((resolve) => {
      this.producer.flush(flushTimeoutMs, (error) => {
        if (error) this.log.warn({ err: error.message }, 'producer flush did not complete');
        resolve();
      });
    });
    await new Promise<void>((resolve) => this.producer.disconnect(() => resolve()));
  }
}
