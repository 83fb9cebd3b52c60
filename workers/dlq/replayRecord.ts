import type { Delivery, OutgoingRecord } from '../../lib/kafka/deliveringProducer';
import { REPLAY_SINK_HEADER } from '../runtime/replayTarget';
import {
  REPLAY_OF_HEADER,
  REPLAYED_AT_HEADER,
  REPLAYED_OF_HEADER,
  REPLAYED_TO_HEADER,
  type DeadLetter,
} from './deadLetterEntry';

/**
 * The record that replays a dead letter: its original key, value and own
 * headers, back to the topic it came from, addressed to the one sink that
 * refused it (every other sink stored it the first time and skips it now),
 * with the dead letter it came from.
 */
export function replayRecordOf(letter: DeadLetter): OutgoingRecord {
  return {
    topic: letter.source.topic,
    key: letter.key,
    value: letter.value,
    headers: [...letter.originalHeaders, { [REPLAY_SINK_HEADER]: letter.sink }, { [REPLAY_OF_HEADER]: letter.id }],
  };
}

/**
 * The marker written to the dead-letter topic, in the same transaction as the
 * replay: from then on `dlq list` shows the dead letter as replayed and
 * `dlq replay` leaves it alone.
 */
export function replayMarkerOf(
  letter: DeadLetter,
  deadLetterTopic: string,
  replay: Delivery,
  at: Date,
): OutgoingRecord {
  return {
    topic: deadLetterTopic,
    key: null,
    value: Buffer.alloc(0),
    headers: [
      { [REPLAYED_OF_HEADER]: letter.id },
      { [REPLAYED_TO_HEADER]: `${replay.topic}/${replay.partition}/${replay.offset}` },
      { [REPLAYED_AT_HEADER]: at.toISOString() },
    ],
  };
}
