import type { Bid } from '../../lib/bid/bid';

/** A bid together with where it sits on the topic; the offset breaks ties between equal bids. */
export interface PlacedBid {
  bid: Bid;
  partition: number;
  offset: number;
}

/** One entry of the `lots` event: a lot, how many bids it has had, and its highest bid. */
export interface LotSummary {
  item: string;
  bids: number;
  highest: Bid;
}

/** The events of the live stream, as named on the wire (`event:`) with their `data` (see the README, "Live updates"). */
export type LiveEvent =
  | { type: 'bid'; data: { bid: Bid; kafka: { partition: number; offset: number } } }
  | { type: 'highest'; data: { scope: 'item'; item: string; bid: Bid } | { scope: 'overall'; bid: Bid } }
  | { type: 'lots'; data: { lots: LotSummary[] } }
  | { type: 'reset'; data: Record<string, never> };

/**
 * One event written out once for every client: its text on the wire, and
 * the lot it is about (`undefined`: for every client, filtered or not).
 */
export interface EventFrame {
  item: string | undefined;
  text: string;
}

/** The frames one record caused, with the record's position; the unit of history and replay. */
export interface RecordFrames {
  partition: number;
  offset: number;
  /** The event id of its frames: the position vector after the record. */
  id: string;
  frames: EventFrame[];
}

/** The bid with its fields in the column order every store uses, whatever order the record had them in. */
function orderedBid(bid: Bid): Bid {
  return { bid_id: bid.bid_id, item: bid.item, name: bid.name, price: bid.price, bid_ts: bid.bid_ts };
}

/** An event as it goes on the wire: `id:`, `event:`, one `data:` line (JSON never holds a raw newline), a blank line. */
export function eventFrame(event: LiveEvent, id: string | undefined, item: string | undefined): EventFrame {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return { item, text: `${idLine}event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n` };
}

/** The `bid` event of a placed bid. */
export function bidEvent(placed: PlacedBid): LiveEvent {
  return {
    type: 'bid',
    data: { bid: orderedBid(placed.bid), kafka: { partition: placed.partition, offset: placed.offset } },
  };
}

/** A `highest` event: the lot's new highest bid, or the new highest overall. */
export function highestEvent(scope: 'item' | 'overall', placed: PlacedBid): LiveEvent {
  const bid = orderedBid(placed.bid);
  return {
    type: 'highest',
    data: scope === 'item' ? { scope, item: bid.item, bid } : { scope, bid },
  };
}

/** The `lots` event: the most active lots. */
export function lotsEvent(lots: LotSummary[]): LiveEvent {
  return { type: 'lots', data: { lots: lots.map((lot) => ({ ...lot, highest: orderedBid(lot.highest) })) } };
}
