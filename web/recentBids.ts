import type { Bid } from '../lib/bid/bid';
import { bidFromSqlRow } from '../lib/bid/bidFromSqlRow';
import { errorMessage } from '../lib/errorMessage';
import type { Logger } from '../lib/logger';
import { ITEMS_KEPT } from './highestBid';
import type { MysqlReader } from './mysqlReader';
import { unavailableOf, type ReadUnavailable } from './readUnavailable';
import { SharedReadsByKey } from './sharedReadsByKey';

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

/** An item's last bids (possibly none), or MySQL could not be asked (and why). */
export type RecentBidsView = { state: 'bids'; bids: Bid[] } | ReadUnavailable;

/**
 * Reads an item's last bids from MySQL; requests for the same item while it
 * is read, or within `freshMs` after, share one query. A failed read is
 * logged and answered `unavailable` with its reason.
 */
export class RecentBids {
  private readonly reads: SharedReadsByKey<RecentBidsView>;

  constructor(
    private readonly reader: MysqlReader,
    freshMs: number,
    private readonly log: Logger,
  ) {
    this.reads = new SharedReadsByKey((item) => this.read(item), freshMs, ITEMS_KEPT);
  }

  forItem(item: string): Promise<RecentBidsView> {
    return this.reads.get(item);
  }

  private async read(item: string): Promise<RecentBidsView> {
    try {
      const rows = await this.reader.query('recent_bids', RECENT_BIDS_FOR_ITEM_SQL, [item]);
      return { state: 'bids', bids: rows.map(bidFromSqlRow) };
    } catch (error) {
      const unavailable = unavailableOf(error);
      this.log.warn({ err: errorMessage(error), reason: unavailable.reason }, 'recent bids unavailable');
      return unavailable;
    }
  }
}
