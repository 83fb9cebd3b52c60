import type { Bid } from '../../lib/bid/bid';
import type { LotSummary, PlacedBid } from './liveEvent';

/** How many of a lot's most recent bids are kept. */
export const RECENT_BIDS_PER_LOT = 20;
/** How many lots the `lots` event lists. */
export const MOST_ACTIVE_LOTS = 10;

/** What is known of one lot. `recent` is newest first. */
interface Lot {
  bids: number;
  highest: PlacedBid;
  recent: Bid[];
}

/** One lot as MySQL holds it at start-up. `recent` is newest first, at most RECENT_BIDS_PER_LOT. */
export interface SeededLot {
  item: string;
  bids: number;
  highest: PlacedBid;
  recent: Bid[];
}

/** What a bid changed: whether it became the lot's highest, and the highest overall. */
export interface HighestChanges {
  item: boolean;
  overall: boolean;
}

/**
 * Whether `candidate` outbids `current`: a higher price, or at the same price
 * an earlier bid (lower bid_ts, then lower offset, then lower partition), so
 * the earlier of two equal bids stays highest, as MySQL's highest-bid read
 * orders them.
 */
export function outbids(candidate: PlacedBid, current: PlacedBid | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.bid.price !== current.bid.price) return candidate.bid.price > current.bid.price;
  // RFC 3339 UTC timestamps in one fixed form compare as text.
  if (candidate.bid.bid_ts !== current.bid.bid_ts) return candidate.bid.bid_ts < current.bid.bid_ts;
  if (candidate.offset !== current.offset) return candidate.offset < current.offset;
  return candidate.partition < current.partition;
}

/**
 * The auction as the live feed sees it: the highest bid overall and per lot,
 * each lot's last bids and bid count. Seeded from MySQL at start-up, then
 * moved by every bid the feed reads from the topic.
 */
export class AuctionState {
  private readonly lots = new Map<string, Lot>();
  private overall: PlacedBid | undefined;

  constructor(seed: readonly SeededLot[] = []) {
    for (const lot of seed) {
      this.lots.set(lot.item, {
        bids: lot.bids,
        highest: lot.highest,
        recent: lot.recent.slice(0, RECENT_BIDS_PER_LOT),
      });
      if (outbids(lot.highest, this.overall)) this.overall = lot.highest;
    }
  }

  /** Counts the bid in and says which highest bids it changed. */
  apply(placed: PlacedBid): HighestChanges {
    const { bid } = placed;
    let lot = this.lots.get(bid.item);
    let item = false;
    if (lot === undefined) {
      lot = { bids: 0, highest: placed, recent: [] };
      this.lots.set(bid.item, lot);
      item = true;
    } else if (outbids(placed, lot.highest)) {
      lot.highest = placed;
      item = true;
    }
    lot.bids += 1;
    lot.recent.unshift(bid);
    if (lot.recent.length > RECENT_BIDS_PER_LOT) lot.recent.pop();
    const overall = item && outbids(placed, this.overall);
    if (overall) this.overall = placed;
    return { item, overall };
  }

  highestOverall(): Bid | undefined {
    return this.overall?.bid;
  }

  highestFor(item: string): Bid | undefined {
    return this.lots.get(item)?.highest.bid;
  }

  /** The lot's most recent bids, newest first. */
  recentBids(item: string): readonly Bid[] {
    return this.lots.get(item)?.recent ?? [];
  }

  /** The lots with the most bids (ties by item name), each with its highest bid. */
  mostActiveLots(limit = MOST_ACTIVE_LOTS): LotSummary[] {
    // One pass keeping the best `limit`: a sort of every lot ever bid on would cost more at each `lots` event.
    const top: LotSummary[] = [];
    for (const [item, lot] of this.lots) {
      const candidate = { item, bids: lot.bids, highest: lot.highest.bid };
      const last = top[top.length - 1];
      if (top.length === limit && last !== undefined && !ranksBefore(candidate, last)) continue;
      let at = top.length;
      while (at > 0 && ranksBefore(candidate, top[at - 1]!)) at -= 1;
      top.splice(at, 0, candidate);
      if (top.length > limit) top.pop();
    }
    return top;
  }
}

function ranksBefore(a: LotSummary, b: LotSummary): boolean {
  if (a.bids !== b.bids) return a.bids > b.bids;
  return a.item < b.item;
}
