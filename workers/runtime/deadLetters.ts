import type { Message } from 'node-rdkafka';
import type { DeliveringProducer } from '../../lib/kafka/deliveringProducer';
import type { Logger } from '../../lib/logger';
import { deadLetterRecord, type DeadLetterReason } from './deadLetter';
import type { SinkMetrics } from './metrics';

/**
 * Parks records this sink cannot store on the dead-letter topic, each with
 * its reason, and resolves only once Kafka has acknowledged it: the runtime
 * moves a partition's position past a record only after its dead letter is
 * safe, so an unreadable record is always somewhere.
 */
export class DeadLetters {
  constructor(
    private readonly sink: string,
    private readonly topic: string,
    private readonly producer: DeliveringProducer,
    private readonly metrics: SinkMetrics,
    private readonly log: Logger,
  ) {}

  async send(message: Message, reason: DeadLetterReason, detail: string): Promise<void> {
    await this.producer.send(
      deadLetterRecord(message, { reason, detail, sink: this.sink, failedAt: new Date() }, this.topic),
    );
    this.metrics.deadLetters.inc({ reason });
    this.log.warn(
      { reason, detail, partition: message.partition, offset: message.offset },
      'record sent to the dead-letter topic',
    );
  }
}
