import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { bidOf, readTopic } from '../support/readTopic';
import { startWebApp } from '../support/webApp';

describe('stopping the web app', () => {
  let topic: string;
  before(async () => {
    topic = await createTestTopic('web-stop', 1);
  });
  after(async () => {
    await deleteTestTopic(topic);
  });

  it('on SIGTERM finishes the bids in flight, answers each of them 201, flushes the producer and exits 0', async () => {
    // A long linger keeps the bids waiting in the producer when SIGTERM arrives.
    const web = await startWebApp({ KAFKA_TOPIC: topic, KAFKA_LINGER_MS: '800', BID_RATE_LIMIT_PER_MINUTE: '1000' });
    const posts = Array.from({ length: 20 }, (_, i) =>
      fetch(`${web.baseUrl}/api/bids`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ item: 'Carriage clock', name: `Bidder ${i}`, price: 100 + i }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Bid })),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = web.stop();
    const answers = await Promise.all(posts);
    const { code } = await stopped;

    assert.deepEqual(
      answers.map((answer) => answer.status),
      Array.from({ length: 20 }, () => 201),
    );
    assert.equal(code, 0);
    const stopping = web.program.lines.find((line) => line.signal === 'SIGTERM');
    assert.ok(Number(stopping?.bidsInFlight) > 0, 'SIGTERM arrived while bids were waiting for Kafka');
    assert.ok(web.program.lines.some((line) => line.msg === 'stopped'));
    const stored = (await readTopic(topic, 20)).map((record) => bidOf(record).bid_id);
    assert.deepEqual(stored.sort(), answers.map((answer) => answer.body.bid_id).sort());
  });
});
