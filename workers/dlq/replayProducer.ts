import Kafka, { type LibrdKafkaError } from 'node-rdkafka';
import type { Delivery, OutgoingRecord } from '../../lib/kafka/deliveringProducer';
import { connectClient } from '../../lib/kafka/connectClient';
import { connectionProperties, type KafkaSettings } from '../../lib/kafka/settings';

const TRANSACTION_TIMEOUT_MS = 60_000;

type Settle = { resolve: (delivery: Delivery) => void; reject: (error: Error) => void };

function settled(
  action: string,
): (resolve: () => void, reject: (error: Error) => void) => (error: LibrdKafkaError | null) => void {
  return (resolve, reject) => (error) => (error ? reject(new Error(`${action} failed: ${error.message}`)) : resolve());
}

/**
 * A transactional producer for `dlq replay`: each replayed record and its
 * marker on the dead-letter topic commit together or not at all, so a
 * replay interrupted at any point is either done (and marked) or invisible
 * (aborted, and replayed by the next run), never done twice. The
 * transactional id is fixed per dead-letter topic: a second replay started
 * meanwhile fences the first, whose commit then fails.
 */
export class ReplayProducer {
  private readonly producer: Kafka.Producer;

  private constructor(producer: Kafka.Producer) {
    this.producer = producer;
  }

  static async connect(settings: KafkaSettings, deadLetterTopic: string): Promise<ReplayProducer> {
    const producer = new Kafka.Producer({
      ...connectionProperties(settings, 'dlq-replay'),
      'transactional.id': `dlq-replay-${deadLetterTopic}`,
      'transaction.timeout.ms': TRANSACTION_TIMEOUT_MS,
      dr_cb: true,
    });
    producer.on('delivery-report', (error, report) => {
      const settle = report.opaque as Settle | undefined;
      if (!settle) return;
      if (error) settle.reject(new Error(`not delivered: ${error.message}`));
      else settle.resolve({ topic: report.topic, partition: report.partition, offset: report.offset });
    });
    await connectClient(producer, settings, 15_000, (detail) => new Error(`cannot reach Kafka: ${detail}`));
    producer.setPollInterval(25);
    // Also aborts whatever an earlier, interrupted replay left open.
    await new Promise<void>((resolve, reject) =>
      producer.initTransactions(TRANSACTION_TIMEOUT_MS, settled('starting the replay transactions')(resolve, reject)),
    );
    return new ReplayProducer(producer);
  }

  begin(): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.producer.beginTransaction(settled('beginning a replay transaction')(resolve, reject)),
    );
  }

  /** Produces one record inside the open transaction and resolves once the broker has it (still uncommitted). */
  send(record: OutgoingRecord, partition: number | null = null): Promise<Delivery> {
    return new Promise<Delivery>((resolve, reject) => {
      try {
        this.producer.produce(
          record.topic,
          partition,
          record.value,
          record.key,
          Date.now(),
          { resolve, reject },
          record.headers,
        );
      } catch (error) {
        reject(new Error(`cannot queue a replay record: ${(error as Error).message}`));
      }
    });
  }

  commit(): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.producer.commitTransaction(TRANSACTION_TIMEOUT_MS, settled('committing the replay')(resolve, reject)),
    );
  }

  abort(): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.producer.abortTransaction(TRANSACTION_TIMEOUT_MS, settled('aborting the replay')(resolve, reject)),
    );
  }

  async disconnect(): Promise<void> {
    await new Promise<void>((resolve) => this.producer.disconnect(() => resolve()));
  }
}
