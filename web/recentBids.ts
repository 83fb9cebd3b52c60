import type mysql from 'mysql2/promise';
import type { Bid } from '../lib/bid/bid';
import { bidFromSqlRow } from '../lib/bid/bidFromSqlRow';
import { errorMessage } from '../lib/errorMessage';
import type { Logger } from '../lib/logger';

/** How many of an item's bids the page lists (the live page keeps the same number). */
export const RECENT_BIDS_SHOWN = 20;

/**
 * The last bids on one item, newest first (one parameter: the item). Served
 * by the index `bids_by_item_recent`: it reads the first rows for the item
 * and sorts nothing.
 */
export const RECENT_BIDS_FOR_ITEM_SQL =
  'SELECT bid_id, item, name, price, bid_ts FROM bids WHERE item = ? ' +
  `ORDER BY bid_ts DESC, kafka_offset DESC LIMIT ${RECENT_BIDS_SHOWN}`;

/** An item's last bids (possibly none), or MySQL could not be asked. */
export type RecentBidsView = { state: 'bids'; bids: Bid[] } | { state: 'unavailable' };

/** Reads an item's last bids from MySQL; a failed read is logged and answered `unavailable`. */
export class RecentBids {
  constructor(
    private readonly pool: mysql.Pool,
    private readonly log: Logger,
  ) {}

  async forItem(item: string): Promise<RecentBidsView> {
    try {
      const [rows] = await this.pool.query<mysql.RowDataPacket[]>(RECENT_BIDS_FOR_ITEM_SQL, [item]);
      return { state: 'bids', bids: rows.map(bidFromSqlRow) };
    } catch (error) {
      this.log.warn({ err: errorMessage(error) }, 'recent bids unavailable');
      return { state: 'unavailable' };
    }
  }
}
