import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import Kafka from 'node-rdkafka';
import { loadEnv } from '../../lib/env';
import { DeliveringProducer } from '../../lib/kafka/deliveringProducer';
import { readKafkaSettings } from '../../lib/kafka/settings';
import { createLogger } from '../../lib/logger';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';

/**
 * Lets real time pass (the broker answers, librdkafka queues the report)
 * while timers are mocked: setImmediate is left real, so I/O keeps flowing.
 */
async function letRealTimePass(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Timers run on virtual time here, so what is asserted is how many timer
 * ticks a delivery report waits once librdkafka has it, not how fast
 * anything is: between two 1 ms ticks, 40 ms of real time pass, enough for
 * the broker on this machine to acknowledge.
 */
describe('delivery reports from the real broker', { timeout: 120_000 }, () => {
  let topic: string;
  const log = createLogger('test', 'warn');

  before(async () => {
    topic = await createTestTopic('polling');
  });
  after(async () => {
    await deleteTestTopic(topic);
  });

  it('hands each delivery report over at the next millisecond tick after librdkafka has it, and polls at most once a second once nothing is in flight', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const polls = t.mock.method(Kafka.Producer.prototype, 'poll');
    const producer = new DeliveringProducer(
      readKafkaSettings(loadEnv()),
      'test-polling',
      { lingerMs: 0, messageTimeoutMs: 10_000 },
      log,
    );
    await producer.connect();
    try {
      const ticksWaited: number[] = [];
      for (let bid = 0; bid < 6; bid++) {
        let delivered = false;
        const sending = producer.send({ topic, key: `lot-${bid}`, value: Buffer.from(`bid ${bid}`) });
        void sending.then(() => (delivered = true));
        let ticks = 0;
        // The first bid also waits for the topic's metadata: it is the warm-up, not counted.
        await letRealTimePass(bid === 0 ? 500 : 40);
        while (!delivered && ticks < 200) {
          t.mock.timers.tick(1);
          ticks++;
          await letRealTimePass(40);
        }
        await sending;
        if (bid > 0) ticksWaited.push(ticks);
      }
      assert.ok(
        ticksWaited.every((ticks) => ticks <= 1),
        `each report was handed over at the first tick after the broker acknowledged (ticks waited: ${ticksWaited.join(', ')})`,
      );

      polls.mock.resetCalls();
      for (let ms = 0; ms < 10_000; ms += 100) {
        t.mock.timers.tick(100);
        await letRealTimePass(1);
      }
      assert.ok(polls.mock.callCount() <= 10, `an idle producer polled ${polls.mock.callCount()} times in 10 s`);
    } finally {
      t.mock.timers.reset();
      await producer.close();
    }
  });
});
