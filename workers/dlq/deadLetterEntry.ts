import type { Message, MessageHeader } from 'node-rdkafka';
import { readWireFrame } from '../../lib/registry/wireFormat';

/** The header on a replayed record naming the dead letter it came from, `<dlqTopic>/<partition>/<offset>`. */
export const REPLAY_OF_HEADER = 'dlq.replay.of';

/** Headers the replay command writes on the dead-letter topic, after replaying a dead letter, to mark it done. */
export const REPLAYED_OF_HEADER = 'dlq.replayed.of';
export const REPLAYED_TO_HEADER = 'dlq.replayed.to';
export const REPLAYED_AT_HEADER = 'dlq.replayed.at';

/** One dead letter as read back from the dead-letter topic. */
export interface DeadLetter {
  /** Where it sits: `<dlqTopic>/<partition>/<offset>`, the name replays and markers use. */
  id: string;
  partition: number;
  offset: number;
  sink: string;
  reason: string;
  detail: string;
  source: { topic: string; partition: number; offset: number };
  failedAt: string;
  /** The bid's id, when the value holds one (wire format or plain JSON). */
  bidId?: string;
  key: Buffer | null;
  value: Buffer;
  /** The original record's own headers, without the `dlq.*` ones. */
  originalHeaders: MessageHeader[];
}

/** A record saying a dead letter was replayed: which one, and where its replay went. */
export interface ReplayMarker {
  of: string;
  to: string;
  at: string;
}

export type DeadLetterTopicRecord =
  | { kind: 'dead-letter'; deadLetter: DeadLetter }
  | { kind: 'replay-marker'; marker: ReplayMarker }
  /** Neither (written there by something else): shown as such, never replayed. */
  | { kind: 'unknown'; id: string };

/** The name of a record on the dead-letter topic. */
export function deadLetterId(topic: string, partition: number, offset: number): string {
  return `${topic}/${partition}/${offset}`;
}

function headerText(headers: readonly MessageHeader[] | undefined, name: string): string | undefined {
  for (const header of headers ?? []) {
    const value = header[name];
    if (value !== undefined) return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return undefined;
}

/** The `bid_id` in a value, if it is a bid in the wire format or plain JSON; undefined for anything else. */
export function bidIdOf(value: Buffer): string | undefined {
  const frame = readWireFrame(value);
  const text = (frame.ok ? frame.payload : value).toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'bid_id' in parsed) {
      const id = (parsed as { bid_id: unknown }).bid_id;
      return typeof id === 'string' ? id : undefined;
    }
  } catch {
    // Not JSON: a dead letter for exactly that reason, often.
  }
  return undefined;
}

function asBuffer(value: Message['key'] | Message['value']): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/** Reads one record of the dead-letter topic as a dead letter, a replay marker, or neither. */
export function readDeadLetterTopicRecord(message: Message): DeadLetterTopicRecord {
  const id = deadLetterId(message.topic, message.partition, message.offset);
  const headers = message.headers;
  const replayedOf = headerText(headers, REPLAYED_OF_HEADER);
  if (replayedOf !== undefined) {
    return {
      kind: 'replay-marker',
      marker: {
        of: replayedOf,
        to: headerText(headers, REPLAYED_TO_HEADER) ?? '',
        at: headerText(headers, REPLAYED_AT_HEADER) ?? '',
      },
    };
  }
  const sink = headerText(headers, 'dlq.sink');
  const reason = headerText(headers, 'dlq.reason');
  const sourceTopic = headerText(headers, 'dlq.source.topic');
  const sourcePartition = Number(headerText(headers, 'dlq.source.partition'));
  const sourceOffset = Number(headerText(headers, 'dlq.source.offset'));
  if (
    sink === undefined ||
    reason === undefined ||
    sourceTopic === undefined ||
    !Number.isSafeInteger(sourcePartition) ||
    !Number.isSafeInteger(sourceOffset)
  ) {
    return { kind: 'unknown', id };
  }
  const value = asBuffer(message.value) ?? Buffer.alloc(0);
  const bidId = bidIdOf(value);
  return {
    kind: 'dead-letter',
    deadLetter: {
      id,
      partition: message.partition,
      offset: message.offset,
      sink,
      reason,
      detail: headerText(headers, 'dlq.detail') ?? '',
      source: { topic: sourceTopic, partition: sourcePartition, offset: sourceOffset },
      failedAt: headerText(headers, 'dlq.failed.at') ?? '',
      ...(bidId === undefined ? {} : { bidId }),
      key: asBuffer(message.key),
      value,
      originalHeaders: (headers ?? []).filter((header) => !Object.keys(header).some((name) => name.startsWith('dlq.'))),
    },
  };
}
