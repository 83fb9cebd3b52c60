import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { REPLAY_SINK_HEADER } from '../../lib/kafka/replayTarget';
import { BidStream, sampleBid, streamBids } from '../support/bidStream';
import { openEventStream, type EventStream, type ParsedEvent } from '../support/eventStream';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { postBidJson, startWebApp, type WebAppUnderTest } from '../support/webApp';

type PlacedBid = Bid & { kafka: { partition: number; offset: number } };
type BidEventData = { bid: Bid; kafka: { partition: number; offset: number } };

const ID = /^\d+:\d+(\.\d+:\d+)*$/;

/** Places a bid through the JSON API and returns it as accepted. */
async function placeBid(web: WebAppUnderTest, item: string, name: string, price: number): Promise<PlacedBid> {
  const { status, body } = await postBidJson(web.baseUrl, JSON.stringify({ item, name, price }));
  assert.equal(status, 201, JSON.stringify(body));
  return body as unknown as PlacedBid;
}

function isBidEvent(bidId: string): (event: ParsedEvent) => boolean {
  return (event) => event.event === 'bid' && event.json<BidEventData>().bid.bid_id === bidId;
}

function bidIdsIn(events: readonly ParsedEvent[]): string[] {
  return events.filter((event) => event.event === 'bid').map((event) => event.json<BidEventData>().bid.bid_id);
}

describe('live events (SSE) from two web instances tailing the real topic', { timeout: 300_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let webA: WebAppUnderTest;
  let webB: WebAppUnderTest;
  /** An instance with room for two streams and two records of history, with a heartbeat every 100 ms. */
  let webSmall: WebAppUnderTest;
  let bids: BidStream;
  const streams: EventStream[] = [];
  const sockets: net.Socket[] = [];

  async function stream(url: string, options: { lastEventId?: string } = {}): Promise<EventStream> {
    const opened = await openEventStream(url, options);
    streams.push(opened);
    return opened;
  }

  /** Opens a stream, trying again while the instance answers 503 (a closed stream's place not yet freed), for 5 s. */
  async function streamOnceFree(url: string, options: { lastEventId?: string } = {}): Promise<EventStream> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const opened = await stream(url, options);
      if (opened.status !== 503 || Date.now() > deadline) return opened;
      opened.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  before(async () => {
    topic = await createTestTopic('live', 3);
    database = await createTestDatabase('live');
    const env = { KAFKA_TOPIC: topic, MYSQL_URL: database.url, BID_RATE_LIMIT_PER_MINUTE: '1000000' };
    [webA, webB, webSmall, bids] = await Promise.all([
      startWebApp({ ...env, SSE_CLIENT_BUFFER_EVENTS: '300' }),
      startWebApp(env),
      startWebApp({ ...env, SSE_MAX_CLIENTS: '2', SSE_HISTORY_EVENTS: '2', SSE_HEARTBEAT_MS: '100' }),
      BidStream.open(),
    ]);
  });
  after(async () => {
    for (const opened of streams) opened.close();
    for (const socket of sockets) socket.destroy();
    await Promise.all([webA?.stop(), webB?.stop(), webSmall?.stop()]);
    await bids?.close();
    await database?.drop();
    await deleteTestTopic(topic);
  });

  it('both instances deliver a bid placed through either, with the stream headers, retry first and position-vector ids', async () => {
    const onA = await stream(`${webA.baseUrl}/api/events`);
    const onB = await stream(`${webB.baseUrl}/api/events`);
    for (const opened of [onA, onB]) {
      assert.equal(opened.status, 200);
      assert.equal(opened.headers['content-type'], 'text/event-stream; charset=utf-8');
      assert.equal(opened.headers['cache-control'], 'no-cache, no-transform');
      assert.equal(opened.headers['connection'], 'keep-alive');
      assert.equal(opened.headers['x-accel-buffering'], 'no');
      assert.equal(opened.headers['content-encoding'], undefined);
    }
    const throughA = await placeBid(webA, 'Walnut bureau', 'Ada', 700);
    const throughB = await placeBid(webB, 'Walnut bureau', 'Grace', 900);
    for (const opened of [onA, onB]) {
      for (const placed of [throughA, throughB]) {
        const event = await opened.waitFor(isBidEvent(placed.bid_id));
        const data = event.json<BidEventData>();
        const { kafka, ...bid } = placed;
        assert.deepEqual(data.bid, bid);
        assert.deepEqual(data.kafka, { partition: kafka.partition, offset: kafka.offset });
        assert.match(event.id ?? '', ID);
        assert.ok(
          event.id!.split('.').includes(`${kafka.partition}:${kafka.offset + 1}`),
          `the id ${event.id} is the position after the bid`,
        );
      }
      assert.equal(opened.retry, 2000);
      const highest = await opened.waitFor(
        (event) => event.event === 'highest' && event.json<{ bid: Bid }>().bid.bid_id === throughB.bid_id,
      );
      assert.equal(highest.id, opened.events.find(isBidEvent(throughB.bid_id))!.id, 'highest carries its bid id');
    }
    // Every instance reads the same records, so the ids agree.
    assert.equal(onA.events.find(isBidEvent(throughB.bid_id))!.id, onB.events.find(isBidEvent(throughB.bid_id))!.id);
  });

  it('a stream reconnecting with Last-Event-ID gets exactly the events it missed, in order, from either instance', async () => {
    const first = await stream(`${webA.baseUrl}/api/events`);
    const seen = await placeBid(webA, 'Pewter jug', 'Linus', 50);
    const lastSeen = await first.waitFor(isBidEvent(seen.bid_id));
    first.close();

    const missed: PlacedBid[] = [];
    for (let i = 0; i < 6; i += 1) missed.push(await placeBid(i % 2 ? webA : webB, `Lot ${i}`, 'Søren', 10 + i));
    for (const web of [webA, webB]) {
      const again = await stream(`${web.baseUrl}/api/events`, { lastEventId: lastSeen.id });
      const after = await placeBid(webB, 'Pewter jug', 'Linus', 60);
      await again.waitFor(isBidEvent(after.bid_id));
      const expected = [...missed.map((bid) => bid.bid_id), after.bid_id];
      const received = bidIdsIn(again.events).slice(0, expected.length + 1);
      // Missed bids of different lots may sit on different partitions: compare each partition's order, and the set.
      assert.deepEqual(new Set(received), new Set(expected), `from ${web === webA ? 'A' : 'B'}`);
      assert.equal(received.length, expected.length, 'no event before Last-Event-ID is sent again');
      for (const partition of [0, 1, 2]) {
        const order = (ids: string[]) =>
          ids.filter((id) => [...missed, after].find((bid) => bid.bid_id === id)!.kafka.partition === partition);
        assert.deepEqual(order(received), order(expected), `partition ${partition} in offset order`);
      }
      assert.equal(again.events.filter((event) => event.event === 'reset').length, 0);
      again.close();
      missed.push(after);
    }
  });

  it('a Last-Event-ID older than the history, or not one of ours, gets a reset', async () => {
    const first = await stream(`${webSmall.baseUrl}/api/events`);
    const old = await placeBid(webSmall, 'Copper kettle', 'Ada', 5);
    const oldEvent = await first.waitFor(isBidEvent(old.bid_id));
    first.close();
    // Three more records on the kettle's partition push the old one out of a two-record history.
    for (let i = 0; i < 3; i += 1) await placeBid(webSmall, 'Copper kettle', 'Ada', 6 + i);
    const probe = await stream(`${webB.baseUrl}/api/events`);
    const last = await placeBid(webSmall, 'Copper kettle', 'Ada', 20);
    await probe.waitFor(isBidEvent(last.bid_id));
    probe.close();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const stale = await streamOnceFree(`${webSmall.baseUrl}/api/events`, { lastEventId: oldEvent.id });
    const reset = await stale.waitFor((event) => event.event === 'reset');
    assert.deepEqual(reset.json(), {});
    stale.close();
    const foreign = await streamOnceFree(`${webSmall.baseUrl}/api/events`, { lastEventId: 'not-a-position' });
    await foreign.waitFor((event) => event.event === 'reset');
    foreign.close();
  });

  it('the client cap answers 503 (SSE_MAX_CLIENTS=2) and frees a place when a stream closes; idle streams get heartbeats', async () => {
    // The previous test's streams were closed by the client: the server frees their places once it sees that.
    const one = await streamOnceFree(`${webSmall.baseUrl}/api/events`);
    const two = await streamOnceFree(`${webSmall.baseUrl}/api/events`);
    assert.equal(one.status, 200);
    assert.equal(two.status, 200);
    const response = await fetch(`${webSmall.baseUrl}/api/events`);
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: string };
    assert.equal(body.error, 'too many live clients');
    one.close();
    const three = await streamOnceFree(`${webSmall.baseUrl}/api/events`);
    assert.equal(three.status, 200);
    const heartbeatBy = Date.now() + 2_000; // ten heartbeat intervals
    while (!two.comments.includes('heartbeat') && Date.now() < heartbeatBy) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(two.comments.includes('heartbeat'), 'an idle stream gets heartbeat comments');
    two.close();
    three.close();
  });

  it('?item= sends only that lot’s bid and highest events', async () => {
    const item = 'Rosewood chest';
    const filtered = await stream(`${webA.baseUrl}/api/events?item=${encodeURIComponent(item)}`);
    // Spelt otherwise, the filter is normalised as the bid's item is at intake.
    const respelt = await stream(
      `${webA.baseUrl}/api/events?item=${encodeURIComponent(' Ｒｏｓｅｗｏｏｄ\u00A0 chest ')}`,
    );
    const everything = await stream(`${webA.baseUrl}/api/events`);
    const other = await placeBid(webB, 'Ivory fan', 'Ada', 1_000_000);
    const wanted = await placeBid(webB, item, 'Grace', 3);
    await filtered.waitFor(isBidEvent(wanted.bid_id));
    await respelt.waitFor(isBidEvent(wanted.bid_id));
    await everything.waitFor(isBidEvent(wanted.bid_id));
    assert.ok(everything.events.some(isBidEvent(other.bid_id)), 'the unfiltered stream has the other lot');
    for (const event of [...filtered.events, ...respelt.events]) {
      if (event.event === 'lots') continue;
      const data = event.json<{ bid: Bid }>();
      assert.equal(data.bid.item, item, `${event.event} ${event.data}`);
    }
    assert.ok(
      filtered.events.some((event) => event.event === 'highest'),
      'the lot’s first bid is its highest',
    );
    const bad = await fetch(`${webA.baseUrl}/api/events?item=`);
    assert.equal(bad.status, 400);
    const blank = await fetch(`${webA.baseUrl}/api/events?item=%E2%80%83`);
    assert.equal(blank.status, 400, 'an item that normalises to nothing');
  });

  it('a replayed dead letter and a record that is not a bid are not announced; the next bid is', async () => {
    const live = await stream(`${webB.baseUrl}/api/events`);
    const replayed = sampleBid(1, { item: 'Replayed lot', price: 999_999_999 });
    await bids.sendRaw({
      topic,
      key: replayed.item,
      value: bids.codec.encode(replayed),
      headers: [{ [REPLAY_SINK_HEADER]: Buffer.from('mysql-sink') }],
    });
    await bids.sendRaw({ topic, key: 'Replayed lot', value: Buffer.from('not a bid') });
    const next = await placeBid(webA, 'Replayed lot', 'Ada', 4);
    await live.waitFor(isBidEvent(next.bid_id));
    assert.ok(!live.events.some(isBidEvent(replayed.bid_id)), 'the replay is not announced again');
    assert.deepEqual(bidIdsIn(live.events), [next.bid_id]);
  });

  it('a client that stops reading is dropped while another keeps receiving everything', async () => {
    const slow = net.connect(Number(new URL(webA.baseUrl).port), '127.0.0.1');
    sockets.push(slow);
    await new Promise<void>((resolve) => slow.once('connect', resolve));
    slow.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    slow.pause(); // never reads: the kernel buffers fill, then Node's, then ours
    const fast = await stream(`${webA.baseUrl}/api/events`);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Long names and rising prices make three events of about 1 KB a bid: 12 MB, far more than the socket buffers
    // hold. Sent as a stream (50 bids every 10 ms) that a reading client keeps up with.
    const burst = Array.from({ length: 12_000 }, (_, i) =>
      sampleBid(i, { item: `Lot ${i % 7} ${'x'.repeat(80)}`, name: 'n'.repeat(100), price: 1_000 + i }),
    );
    await streamBids(bids, topic, burst, burst.length / 50, 10);
    // The three partitions are read independently: the last bid produced is not the last to arrive, so wait for
    // the last bid of every lot (a lot's bids share a partition and arrive in order).
    const lastOfEachLot = new Map(burst.map((bid) => [bid.item, bid.bid_id]));
    for (const bidId of lastOfEachLot.values()) await fast.waitFor(isBidEvent(bidId), 60_000);
    const received = new Set(bidIdsIn(fast.events));
    assert.equal(burst.filter((bid) => received.has(bid.bid_id)).length, burst.length, 'the fast client got every bid');
    const dropped = await webA.program.waitForLog((line) => String(line.msg).startsWith('live client dropped'), 10_000);
    assert.equal(dropped.limitEvents, 300);
  });

  it('SIGTERM ends the open streams and the process exits 0 without waiting for them', async () => {
    const open = await streamOnceFree(`${webSmall.baseUrl}/api/events`);
    assert.equal(open.status, 200);
    const exit = await webSmall.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    await open.ended;
    const stopped = await webSmall.program.waitForLog((line) => String(line.msg).startsWith('live feed stopped'), 1000);
    assert.equal(stopped.streamsEnded, 1, 'the open stream was ended by the process, not cut at the grace deadline');
  });
});
