import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ThrowawayBroker } from '../support/throwawayBroker';
import { postBidJson, startWebApp, type WebAppUnderTest } from '../support/webApp';

interface Answer {
  what: 'readyz' | 'bid';
  at: number;
  status: number;
  body: Record<string, unknown>;
}

/**
 * A real fatal idempotent-producer error: the broker loses a bid it had
 * acknowledged (it is killed and the tail of its log is gone, as unflushed
 * writes are after a power cut), so its sequence state for the web app's
 * producer id is one record behind the producer's. The next bid is answered
 * OUT_OF_ORDER_SEQUENCE_NUMBER for the head of the line, which librdkafka
 * treats as fatal ("sequence desynchronization"). Runs on a broker of its own.
 */
describe('a fatal error of the web app producer', { timeout: 240_000 }, () => {
  let broker: ThrowawayBroker;
  let web: WebAppUnderTest | undefined;
  const topic = 'bids-fatal';

  before(async () => {
    broker = await ThrowawayBroker.start('fatal-producer');
    await broker.createTopic(topic, 1);
  });
  after(async () => {
    await web?.program.dispose();
    await broker?.dispose();
  });

  it('answers the bid in flight 503 unknown, refuses bids and says not ready until it exits 1 with one line for a supervisor', async () => {
    web = await startWebApp({
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      KAFKA_TOPIC: topic,
      // MySQL is not part of this test (a closed port: only the highest-bid read is degraded).
      MYSQL_URL: 'mysql://root@127.0.0.1:1/test',
      // Long enough for librdkafka to reconnect to the restarted broker while the bid waits.
      BID_ACK_TIMEOUT_MS: '60000',
      BID_RATE_LIMIT_PER_MINUTE: '1000000',
      // This test polls /readyz as fast as it can answer.
      READ_RATE_LIMIT_PER_MINUTE: '1000000',
      KAFKA_MESSAGE_TIMEOUT_MS: '30000',
    });
    const running = web;
    const bid = (name: string) => postBidJson(running.baseUrl, JSON.stringify({ item: 'Clock', name, price: 10 }));

    assert.equal((await bid('Ada')).status, 201);
    const segment = broker.segmentFile(topic, 0);
    const sizeAfterFirst = fs.statSync(segment).size;
    assert.equal((await bid('Grace')).status, 201);
    assert.ok(fs.statSync(segment).size > sizeAfterFirst);

    // The broker loses Grace's acknowledged bid.
    await broker.kill();
    fs.truncateSync(segment, sizeAfterFirst);
    await broker.startProcess();

    // Linus's bid is the first in librdkafka's queue, so it is in the request the broker answers out of order.
    const linus = bid('Linus');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Ask for readiness and bid over and over from now on, to see what the app says once the error is raised.
    // Bids are not awaited one by one: one sent before the error may wait for its delivery report.
    const answers: Answer[] = [];
    const pending: Promise<void>[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling && !running.program.hasExited) {
        const at = Date.now();
        pending.push(
          bid('Poller').then(
            (placed) => void answers.push({ what: 'bid', at, status: placed.status, body: placed.body }),
            () => undefined, // the process has closed its port
          ),
        );
        try {
          const ready = await fetch(`${running.baseUrl}/readyz`);
          answers.push({
            what: 'readyz',
            at,
            status: ready.status,
            body: (await ready.json()) as Record<string, unknown>,
          });
        } catch {
          // The process has closed its port.
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    const inFlight = await linus;
    assert.equal(inFlight.status, 503, JSON.stringify(inFlight.body));
    assert.equal(inFlight.body.reason, 'unknown', 'the broker may have it: the bidder is told to check');

    const exit = await running.program.exit(60_000);
    polling = false;
    await poll;
    await Promise.all(pending);
    assert.equal(exit.code, 1, 'a non-zero exit, for a supervisor to restart it');
    const stderr = running.program.stderr.join('').trim().split('\n');
    assert.equal(stderr.length, 1, stderr.join('\n'));
    assert.match(
      stderr[0]!,
      /^web: the Kafka producer failed fatally .*out of order sequence number.*supervisor restarts it/i,
    );

    const fatal = running.program.lines.find((line) => line.msg === 'kafka producer failed fatally');
    assert.ok(fatal, 'the error is logged when it is seen');
    const stopping = running.program.lines.find((line) => line.level === 'fatal');
    assert.match(String(stopping?.msg), /supervisor to restart/);
    const fatalAt = Date.parse(String(fatal.time));

    // Every answer given after the error was seen: not ready naming the producer, bids refused at once.
    const afterwards = answers.filter((answer) => answer.at > fatalAt);
    for (const answer of afterwards) {
      if (answer.what === 'readyz') {
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        const checks = answer.body.checks as Record<string, string>;
        assert.equal(checks.producer, 'not ready');
        assert.equal(Object.keys(answer.body).sort().join(), 'checks,degraded,ready', 'nothing but the states');
      } else {
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        assert.equal(answer.body.reason, 'not-placed');
      }
    }
    // Why is in the log, once.
    const why = running.program.lines.filter((line) => String(line.msg).startsWith('readiness: producer is not ready'));
    assert.equal(why.length, 1, JSON.stringify(why));
    assert.match(String(why[0]!.msg), /failed fatally/);
    // The app keeps answering for a notice period after the bids in flight are settled, so both a bid and a
    // readiness answer are seen between the error and the exit.
    const seen = (what: Answer['what']) => afterwards.filter((answer) => answer.what === what).length;
    assert.ok(seen('bid') > 0, 'a bid answer between the error and the exit');
    assert.ok(seen('readyz') > 0, 'a /readyz answer between the error and the exit');
    console.log(`answers between the fatal error and the exit: ${seen('bid')} bids, ${seen('readyz')} /readyz`);
  });

  it('a fresh web app on the same broker takes bids again (a new producer id)', async () => {
    await web?.program.dispose();
    const fresh = await startWebApp({
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      KAFKA_TOPIC: topic,
      MYSQL_URL: 'mysql://root@127.0.0.1:1/test',
    });
    try {
      const placed = await postBidJson(fresh.baseUrl, JSON.stringify({ item: 'Clock', name: 'Barbara', price: 11 }));
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
    } finally {
      await fresh.stop();
    }
  });
});
