import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { withPlacedBid, type BidFigures } from '../../web/placedBidFigures';

function bid(id: string, item: string, price: number): Bid {
  return { bid_id: id, item, name: `bidder ${id}`, price, bid_ts: `2026-01-01T10:00:0${id.length % 10}.000Z` };
}

const placed = bid('placed', 'Oak dresser', 500);

describe('the bid page counts in the bid its browser has just placed', () => {
  it('lists the placed bid first and makes it the highest when MySQL has not stored it yet', () => {
    const older = bid('older', 'Oak dresser', 400);
    const elsewhere = bid('elsewhere', 'Tin robot', 450);
    const figures = withPlacedBid(
      {
        highestOverall: { state: 'bid', bid: elsewhere },
        highestForItem: { state: 'bid', bid: older },
        recentBids: { state: 'bids', bids: [older] },
      },
      placed,
      'Oak dresser',
    );
    assert.deepEqual(figures, {
      highestOverall: { state: 'bid', bid: placed },
      highestForItem: { state: 'bid', bid: placed },
      recentBids: { state: 'bids', bids: [placed, older] },
    });
  });

  it('makes it the highest of an item without bids, and keeps the list at 20', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => bid(`b${i}`, 'Oak dresser', 1000 + i));
    const figures = withPlacedBid(
      {
        highestOverall: { state: 'none' },
        highestForItem: { state: 'none' },
        recentBids: { state: 'bids', bids: twenty },
      },
      placed,
      'Oak dresser',
    );
    assert.deepEqual(figures.highestOverall, { state: 'bid', bid: placed });
    assert.deepEqual(figures.highestForItem, { state: 'bid', bid: placed });
    assert.equal(figures.recentBids?.state === 'bids' && figures.recentBids.bids.length, 20);
    assert.equal(figures.recentBids?.state === 'bids' && figures.recentBids.bids[0], placed);
  });

  it('keeps a highest bid of equal price: the earlier bid wins a tie', () => {
    const equal = bid('equal', 'Oak dresser', 500);
    const figures = withPlacedBid(
      {
        highestOverall: { state: 'bid', bid: equal },
        highestForItem: { state: 'bid', bid: equal },
        recentBids: undefined,
      },
      placed,
      'Oak dresser',
    );
    assert.deepEqual(figures.highestOverall, { state: 'bid', bid: equal });
    assert.deepEqual(figures.highestForItem, { state: 'bid', bid: equal });
  });

  it('changes nothing once MySQL has stored it, or when it is absent, and leaves unavailable figures unavailable', () => {
    const stored: BidFigures = {
      highestOverall: { state: 'bid', bid: bid('top', 'Tin robot', 900) },
      highestForItem: { state: 'bid', bid: bid('dresser-top', 'Oak dresser', 300) },
      recentBids: { state: 'bids', bids: [placed] },
    };
    assert.equal(withPlacedBid(stored, placed, 'Oak dresser'), stored);
    assert.equal(withPlacedBid(stored, undefined, 'Oak dresser'), stored);
    const down: BidFigures = {
      highestOverall: { state: 'unavailable', reason: 'unreachable' },
      highestForItem: { state: 'unavailable', reason: 'unreachable' },
      recentBids: { state: 'unavailable', reason: 'unreachable' },
    };
    assert.deepEqual(withPlacedBid(down, placed, 'Oak dresser'), down);
  });

  it('counts it only in the overall highest when another item is selected', () => {
    const other = bid('other', 'Tin robot', 100);
    const figures = withPlacedBid(
      {
        highestOverall: { state: 'bid', bid: other },
        highestForItem: { state: 'bid', bid: other },
        recentBids: { state: 'bids', bids: [other] },
      },
      placed,
      'Tin robot',
    );
    assert.deepEqual(figures.highestOverall, { state: 'bid', bid: placed });
    assert.deepEqual(figures.highestForItem, { state: 'bid', bid: other });
    assert.deepEqual(figures.recentBids, { state: 'bids', bids: [other] });
  });
});
