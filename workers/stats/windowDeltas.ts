import type { Bid } from '../../lib/bid/bid';
import { isLateBid } from './lateness';
import { bidTimeOf, WINDOW_SECONDS, windowOf, type WindowSeconds } from './tumblingWindow';

/** The item of the row that counts every item together (an item always holds a letter or digit). */
export const EVERY_ITEM = '';

/** A bid and where it was read from: what folding needs of a sink record. */
export interface PlacedBid {
  partition: number;
  offset: number;
  bid: Pick<Bid, 'item' | 'name' | 'price' | 'bid_ts'>;
}

/** What one batch adds to one window row (a window size, a window start, an item or every item). */
export interface WindowDelta {
  seconds: WindowSeconds;
  startMs: number;
  item: string;
  /** Bids counted (not late). */
  bids: number;
  priceSum: number;
  /** Null when the batch counted no bid in the window (only late ones). */
  highest: number | null;
  lowest: number | null;
  lateBids: number;
  /** Bids per bidder name among the counted bids. */
  bidders: Map<string, number>;
}

export interface FoldedBatch {
  /** One entry per window row the batch touches, in the order first touched. */
  windows: WindowDelta[];
  /** Each partition's stream time after the batch: the latest bid time read from it so far. */
  streamTimes: Map<number, number>;
}

function deltaFor(
  deltas: Map<string, WindowDelta>,
  seconds: WindowSeconds,
  startMs: number,
  item: string,
): WindowDelta {
  // seconds and startMs hold no '|', so the item may hold anything.
  const key = `${seconds}|${startMs}|${item}`;
  let delta = deltas.get(key);
  if (!delta) {
    delta = {
      seconds,
      startMs,
      item,
      bids: 0,
      priceSum: 0,
      highest: null,
      lowest: null,
      lateBids: 0,
      bidders: new Map(),
    };
    deltas.set(key, delta);
  }
  return delta;
}

function count(delta: WindowDelta, bid: PlacedBid['bid']): void {
  delta.bids += 1;
  delta.priceSum += bid.price;
  delta.highest = delta.highest === null ? bid.price : Math.max(delta.highest, bid.price);
  delta.lowest = delta.lowest === null ? bid.price : Math.min(delta.lowest, bid.price);
  delta.bidders.set(bid.name, (delta.bidders.get(bid.name) ?? 0) + 1);
}

/**
 * Folds a batch into what it adds to each window row, deciding lateness bid
 * by bid: each partition's records are taken in offset order, starting from
 * the stream time stored for it (`streamTimes`, absent before its first bid),
 * which each bid then moves forward. A late bid adds only to `lateBids`; it
 * is decided per window size, so a bid may be late in its 3 s window and
 * still counted in its minute.
 */
export function foldBids(
  bids: readonly PlacedBid[],
  streamTimes: ReadonlyMap<number, number>,
  allowedLatenessMs: number,
): FoldedBatch {
  const ordered = [...bids].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const times = new Map(streamTimes);
  const deltas = new Map<string, WindowDelta>();
  for (const placed of ordered) {
    const bidTimeMs = bidTimeOf(placed.bid.bid_ts);
    const streamTimeMs = times.get(placed.partition);
    for (const seconds of WINDOW_SECONDS) {
      const window = windowOf(bidTimeMs, seconds);
      const late = isLateBid(streamTimeMs, window.endMs, allowedLatenessMs);
      for (const item of [placed.bid.item, EVERY_ITEM]) {
        const delta = deltaFor(deltas, seconds, window.startMs, item);
        if (late) delta.lateBids += 1;
        else count(delta, placed.bid);
      }
    }
    times.set(placed.partition, streamTimeMs === undefined ? bidTimeMs : Math.max(streamTimeMs, bidTimeMs));
  }
  return { windows: [...deltas.values()], streamTimes: times };
}
