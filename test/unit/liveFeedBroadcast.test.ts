import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'node-rdkafka';
import type { Bid } from '../../lib/bid/bid';
import { createLogger } from '../../lib/logger';
import type { BidCodec, DecodedBid } from '../../lib/registry/bidCodec';
import { AuctionState } from '../../web/live/auctionState';
import type { LiveClients } from '../../web/live/liveClients';
import type { RecordFrames } from '../../web/live/liveEvent';
import { LiveFeed, MAX_BROADCAST_GAP_MS } from '../../web/live/liveFeed';
import { sampleBid } from '../support/bidStream';

/** Reads a record's value as the bid's JSON: the feed's own logic is under test here, not the wire format. */
const jsonCodec = {
  decode: async (value: Buffer | null | undefined): Promise<DecodedBid> => ({
    ok: true,
    bid: JSON.parse(String(value)) as Bid,
    extra: {},
    schemaId: 1,
    version: 1,
  }),
} as unknown as BidCodec;

/**
 * Clients whose fan-out takes `costMs` of the event loop, as a thousand
 * socket writes do; `broadcasts` holds how many bids each broadcast carried
 * (the `lots` broadcasts, which carry none, are left out).
 */
function clientsCosting(costMs: number): { clients: LiveClients; broadcasts: number[]; lots: number[] } {
  const broadcasts: number[] = [];
  const lots: number[] = [];
  const clients = {
    isFull: false,
    closeAll() {},
    broadcast(records: readonly RecordFrames[]) {
      const bids = records.filter((entry) => entry.frames.some((frame) => frame.text.includes('event: bid\n')));
      if (bids.length > 0) broadcasts.push(bids.length);
      else lots.push(records.length);
      const until = performance.now() + costMs;
      while (performance.now() < until) {
        // the cost of the writes
      }
    },
  } as unknown as LiveClients;
  return { clients, broadcasts, lots };
}

function record(offset: number): Message {
  const value = Buffer.from(JSON.stringify(sampleBid(offset)));
  return { topic: 'auction', partition: 0, offset, value, size: value.length, timestamp: 0 } as Message;
}

async function feedOneByOne(feed: LiveFeed, count: number): Promise<void> {
  for (let offset = 0; offset < count; offset += 1) {
    await feed.onRecords([record(offset)]);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await new Promise((resolve) => setTimeout(resolve, MAX_BROADCAST_GAP_MS + 20));
}

describe('the live feed fan-out', () => {
  const log = createLogger('test', 'silent');

  it('sends each record as soon as it is read while the fan-out is cheap (a few clients)', async () => {
    const { clients, broadcasts, lots } = clientsCosting(0);
    const feed = new LiveFeed(jsonCodec, new AuctionState(), clients, new Map([[0, 0]]), 100, log);
    await feedOneByOne(feed, 10);
    feed.stop();
    assert.deepEqual(broadcasts, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(lots, [1], 'one lots event for the first bid; the next is due 500 ms later');
  });

  it('sends records that follow a costly fan-out together, every one of them, in order', async () => {
    const { clients, broadcasts } = clientsCosting(5);
    const feed = new LiveFeed(jsonCodec, new AuctionState(), clients, new Map([[0, 0]]), 100, log);
    await feedOneByOne(feed, 10);
    feed.stop();
    assert.equal(
      broadcasts.reduce((sum, size) => sum + size, 0),
      10,
      'every record is sent once',
    );
    assert.ok(broadcasts.length <= 5, `10 records 1 ms apart after a 5 ms fan-out: ${broadcasts.join(', ')}`);
    assert.equal(broadcasts[0], 1, 'the first record after a quiet spell goes out at once');
  });
});
