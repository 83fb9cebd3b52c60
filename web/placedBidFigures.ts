import type { Bid } from '../lib/bid/bid';
import type { HighestBid } from './highestBid';
import { RECENT_BIDS_SHOWN, type RecentBidsView } from './recentBids';

/** The figures of the bid page that one bid can change. */
export interface BidFigures {
  highestOverall: HighestBid;
  /** Present when an item is selected. */
  highestForItem: HighestBid | undefined;
  /** The selected item's last bids, when an item is selected. */
  recentBids: RecentBidsView | undefined;
}

/**
 * A bid higher than the highest shown takes its place. Equal prices keep
 * the shown bid: it is the earlier one (Kafka acknowledged the placed bid
 * just now), and the earlier bid wins a tie.
 */
function withHigher(highest: HighestBid, placed: Bid): HighestBid {
  if (highest.state === 'none') return { state: 'bid', bid: placed };
  if (highest.state === 'bid' && placed.price > highest.bid.price) return { state: 'bid', bid: placed };
  return highest;
}

/**
 * The figures as read from MySQL, with the bid this browser has just placed
 * (acknowledged by Kafka) counted in when the MySQL worker has not stored it
 * yet. Its live events went out before this page could listen, so without
 * this the bidder's own bid would be missing from the page that confirms it.
 * A bid already stored changes nothing.
 */
export function withPlacedBid(figures: BidFigures, placed: Bid | undefined, item: string | undefined): BidFigures {
  if (placed === undefined) return figures;
  const { recentBids } = figures;
  const stored =
    recentBids?.state === 'bids' && recentBids.bids.some((bid) => bid.bid_id === placed.bid_id)
      ? true
      : [figures.highestOverall, figures.highestForItem].some(
          (h) => h?.state === 'bid' && h.bid.bid_id === placed.bid_id,
        );
  if (stored) return figures;
  const onSelectedItem = item === placed.item;
  return {
    highestOverall: withHigher(figures.highestOverall, placed),
    highestForItem:
      onSelectedItem && figures.highestForItem ? withHigher(figures.highestForItem, placed) : figures.highestForItem,
    recentBids:
      onSelectedItem && recentBids?.state === 'bids'
        ? { state: 'bids', bids: [placed, ...recentBids.bids].slice(0, RECENT_BIDS_SHOWN) }
        : recentBids,
  };
}
