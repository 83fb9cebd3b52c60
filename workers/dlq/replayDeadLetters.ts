import type { Delivery } from '../../lib/kafka/deliveringProducer';
import type { KafkaSettings } from '../../lib/kafka/settings';
import type { DeadLetter } from './deadLetterEntry';
import { ReplayProducer } from './replayProducer';
import { replayMarkerOf, replayRecordOf } from './replayRecord';

/** Dead letters per transaction: small enough to commit well within the transaction timeout. */
const PER_TRANSACTION = 500;

/** One dead letter replayed, and where its replay landed. */
export interface Replayed {
  letter: DeadLetter;
  to: Delivery;
}

/**
 * Produces each dead letter back to its source topic and, in the same Kafka
 * transaction, its replay marker to the dead-letter topic (in the dead
 * letter's own partition, after it). A failure aborts the transaction in
 * hand: what it held is neither replayed nor marked, and the next run picks
 * it up; what earlier transactions committed stays replayed and marked.
 */
export async function replayDeadLetters(
  settings: KafkaSettings,
  deadLetterTopic: string,
  letters: readonly DeadLetter[],
  onReplayed: (replayed: Replayed) => void,
): Promise<number> {
  if (letters.length === 0) return 0;
  const producer = await ReplayProducer.connect(settings, deadLetterTopic);
  let replayed = 0;
  try {
    for (let start = 0; start < letters.length; start += PER_TRANSACTION) {
      const chunk = letters.slice(start, start + PER_TRANSACTION);
      await producer.begin();
      const done: Replayed[] = [];
      try {
        const deliveries = await Promise.all(chunk.map((letter) => producer.send(replayRecordOf(letter))));
        const at = new Date();
        await Promise.all(
          chunk.map((letter, i) =>
            producer.send(replayMarkerOf(letter, deadLetterTopic, deliveries[i]!, at), letter.partition),
          ),
        );
        chunk.forEach((letter, i) => done.push({ letter, to: deliveries[i]! }));
        await producer.commit();
      } catch (error) {
        await producer.abort().catch(() => undefined);
        throw error;
      }
      for (const entry of done) onReplayed(entry);
      replayed += done.length;
    }
  } finally {
    await producer.disconnect();
  }
  return replayed;
}
