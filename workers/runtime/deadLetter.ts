import type { Message, MessageHeader } from 'node-rdkafka';
import type { OutgoingRecord } from '../../lib/kafka/deliveringProducer';
import type { UndecodableReason } from '../../lib/registry/bidCodec';

/** Why a record was parked: it is not a readable bid, or the store refused it as data. */
export type DeadLetterReason = UndecodableReason | 'store-refused';

/** Why one consumed record cannot be stored, and by which sink. */
export interface DeadLetterCause {
  reason: DeadLetterReason;
  detail: string;
  sink: string;
  failedAt: Date;
}

/** The longest `dlq.detail` header kept: a schema violation listing can be long, a header should not be. */
export const MAX_DETAIL_LENGTH = 1000;

/**
 * The `dlq.*` headers that say why and from where a record was parked, so an
 * operator can find the original on the source topic and replay it once fixed.
 */
export function deadLetterHeaders(source: Message, cause: DeadLetterCause): MessageHeader[] {
  return [
    { 'dlq.reason': cause.reason },
    { 'dlq.detail': cause.detail.slice(0, MAX_DETAIL_LENGTH) },
    { 'dlq.source.topic': source.topic },
    { 'dlq.source.partition': String(source.partition) },
    { 'dlq.source.offset': String(source.offset) },
    { 'dlq.sink': cause.sink },
    { 'dlq.failed.at': cause.failedAt.toISOString() },
  ];
}

/**
 * The dead letter for `source`: its key and value bytes unchanged (so nothing
 * about the original is lost), its own headers first, then the `dlq.*` ones.
 */
export function deadLetterRecord(source: Message, cause: DeadLetterCause, deadLetterTopic: string): OutgoingRecord {
  return {
    topic: deadLetterTopic,
    key: source.key === undefined ? null : typeof source.key === 'string' ? Buffer.from(source.key) : source.key,
    value: source.value ?? Buffer.alloc(0),
    headers: [...(source.headers ?? []), ...deadLetterHeaders(source, cause)],
  };
}
