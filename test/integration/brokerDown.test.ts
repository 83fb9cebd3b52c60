import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { bidOf, readTopic } from '../support/readTopic';
import { startKafka, stopKafka } from '../support/stackControl';
import { waitFor } from '../support/service';
import { postBidJson, startWebApp, type WebAppUnderTest } from '../support/webApp';

const ACK_TIMEOUT_MS = 8_000;
/** librdkafka gives up on a bid after 2 s; its report, which comes a second or more later when no broker answers, is then due well before the 8 s answer. */
const MESSAGE_TIMEOUT_MS = 2_000;

interface Attempt {
  name: string;
  status: number;
  reason: string | undefined;
  error: string;
  ms: number;
}

describe('placing bids while the Kafka broker is down', { timeout: 300_000 }, () => {
  let topic: string;
  let web: WebAppUnderTest;
  let kafkaStopped = false;
  before(async () => {
    topic = await createTestTopic('broker-down', 1);
    web = await startWebApp({
      KAFKA_TOPIC: topic,
      BID_ACK_TIMEOUT_MS: String(ACK_TIMEOUT_MS),
      KAFKA_MESSAGE_TIMEOUT_MS: String(MESSAGE_TIMEOUT_MS),
      MAX_BIDS_IN_FLIGHT: '4',
      BID_RATE_LIMIT_PER_MINUTE: '1000000',
    });
  });
  after(async () => {
    if (kafkaStopped) startKafka();
    await web?.stop();
    await deleteTestTopic(topic).catch(() => undefined);
  });

  async function attempt(name: string): Promise<Attempt> {
    const started = Date.now();
    const answer = await postBidJson(web.baseUrl, JSON.stringify({ item: 'lamp', name, price: 20 }));
    const reason = answer.body.reason === undefined ? undefined : String(answer.body.reason);
    return { name, status: answer.status, reason, error: String(answer.body.error ?? ''), ms: Date.now() - started };
  }

  it('answers 503 within the configured timeout, refuses bids beyond the in-flight bound at once, and no bid reported not placed ever reaches the topic', async () => {
    assert.equal((await attempt('Before')).status, 201);

    stopKafka();
    kafkaStopped = true;
    // The broker is down, and the web app's producer has noticed (its metadata requests fail).
    await waitFor('the web app to see Kafka down', async () => {
      const ready = (await (await fetch(`${web.baseUrl}/readyz`)).json()) as { checks: { kafka: string } };
      return ready.checks.kafka === 'ready' ? undefined : true;
    });
    const during = await Promise.all(Array.from({ length: 6 }, (_, i) => attempt(`During ${i}`)));
    for (const answer of during) {
      assert.equal(answer.status, 503, JSON.stringify(answer));
      assert.ok(answer.ms < ACK_TIMEOUT_MS + 500, `answered after ${answer.ms} ms, timeout ${ACK_TIMEOUT_MS} ms`);
    }
    const busy = during.filter((a) => a.reason === 'busy');
    assert.equal(busy.length, 2, 'two bids beyond the bound of four in flight');
    for (const answer of busy) assert.ok(answer.ms < 1_000, `busy answered after ${answer.ms} ms`);
    const waited = during.filter((a) => a.reason !== 'busy');
    for (const answer of waited)
      assert.ok(answer.reason === 'not-placed' || answer.reason === 'unknown', answer.reason);
    const notPlaced = during.filter((a) => a.reason === 'not-placed');
    assert.ok(notPlaced.length > 0, `librdkafka reported at least one bid as not placed: ${JSON.stringify(waited)}`);
    for (const answer of notPlaced) assert.match(answer.error, /could not be placed.*within 8 s/);

    startKafka();
    kafkaStopped = false;
    // The producer reconnects by itself; until it has, bids are refused, never queued without limit.
    const afterRestart: Attempt[] = [];
    for (let i = 0; !afterRestart.some((a) => a.status === 201); i++) {
      assert.ok(i < 10, `no bid accepted after the restart: ${JSON.stringify(afterRestart)}`);
      afterRestart.push(await attempt(`After ${i}`));
    }
    const refusedAfter = afterRestart.filter((a) => a.reason === 'not-placed');

    // Everything the topic holds from this run: no bid that was reported not placed or busy.
    const records = await readTopic(topic, 1 + during.length + afterRestart.length, 20_000);
    const names = records.map((record) => bidOf(record).name);
    assert.ok(names.includes('Before'), names.join(', '));
    assert.ok(names.includes(afterRestart.find((a) => a.status === 201)!.name), names.join(', '));
    for (const answer of [...notPlaced, ...busy, ...refusedAfter]) {
      assert.ok(!names.includes(answer.name), `${answer.name} was reported ${answer.reason} yet is in the topic`);
    }
  });
});
