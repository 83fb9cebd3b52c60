import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { AuctionState, outbids, RECENT_BIDS_PER_LOT } from '../../web/live/auctionState';
import type { PlacedBid } from '../../web/live/liveEvent';

let offset = 0;
function placed(item: string, price: number, bidTs = '2026-01-01T00:00:00.000Z', partition = 0): PlacedBid {
  offset += 1;
  const bid: Bid = { bid_id: `id-${offset}`, item, name: 'Ada', price, bid_ts: bidTs };
  return { bid, partition, offset };
}

describe('the live auction state', () => {
  it('keeps the earlier of two equal bids highest: lower bid_ts, then lower offset', () => {
    const first = placed('lamp', 10, '2026-01-01T00:00:01.000Z');
    assert.ok(!outbids(placed('lamp', 10, '2026-01-01T00:00:02.000Z'), first));
    assert.ok(outbids(placed('lamp', 10, '2026-01-01T00:00:00.500Z'), first));
    const later = { ...first, offset: first.offset + 5 };
    assert.ok(outbids(first, later));
    assert.ok(outbids(placed('lamp', 11), first));
  });

  it('reports which highest bids a bid changed, per lot and overall', () => {
    const state = new AuctionState();
    assert.deepEqual(state.apply(placed('lamp', 10)), { item: true, overall: true });
    assert.deepEqual(state.apply(placed('vase', 5)), { item: true, overall: false });
    assert.deepEqual(state.apply(placed('vase', 5)), { item: false, overall: false });
    assert.deepEqual(state.apply(placed('vase', 12)), { item: true, overall: true });
    assert.equal(state.highestOverall()?.price, 12);
    assert.equal(state.highestFor('lamp')?.price, 10);
  });

  it('starts from the seed and keeps each lot’s last bids, newest first', () => {
    const seeded = placed('lamp', 100);
    const state = new AuctionState([{ item: 'lamp', bids: 7, highest: seeded, recent: [seeded.bid] }]);
    assert.deepEqual(state.apply(placed('lamp', 50)), { item: false, overall: false });
    for (let i = 0; i < RECENT_BIDS_PER_LOT + 5; i += 1) state.apply(placed('lamp', 1));
    const recent = state.recentBids('lamp');
    assert.equal(recent.length, RECENT_BIDS_PER_LOT);
    assert.equal(recent[0]!.bid_id, `id-${offset}`);
    assert.equal(state.mostActiveLots()[0]!.bids, 7 + 1 + RECENT_BIDS_PER_LOT + 5);
  });

  it('lists the most active lots by bid count, ties by item name, at most ten', () => {
    const state = new AuctionState();
    for (let lot = 0; lot < 15; lot += 1) {
      for (let n = 0; n <= lot % 5; n += 1) state.apply(placed(`lot ${String(lot).padStart(2, '0')}`, 1 + n));
    }
    const lots = state.mostActiveLots();
    assert.equal(lots.length, 10);
    assert.deepEqual(
      lots.map((lot) => `${lot.item}:${lot.bids}`),
      [
        'lot 04:5',
        'lot 09:5',
        'lot 14:5',
        'lot 03:4',
        'lot 08:4',
        'lot 13:4',
        'lot 02:3',
        'lot 07:3',
        'lot 12:3',
        'lot 01:2',
      ],
    );
    assert.equal(lots[0]!.highest.price, 5);
  });
});
