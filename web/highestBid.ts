import type mysql from 'mysql2/promise';
import type { Bid } from '../lib/bid/bid';
import { bidFromSqlRow } from '../lib/bid/bidFromSqlRow';
import { errorMessage } from '../lib/errorMessage';
import type { Logger } from '../lib/logger';

/**
 * The highest bid: the highest price, and at equal prices the earliest bid
 * (then the smallest id, so the answer is always one row). Served by the
 * indexes `bids_by_price` and `bids_by_item_price` (InnoDB appends the
 * primary key, bid_id, to both), so it reads one index entry at any size.
 */
const COLUMNS = 'SELECT bid_id, item, name, price, bid_ts FROM bids';
const ORDER = 'ORDER BY price DESC, bid_ts ASC, bid_id ASC LIMIT 1';

/** The highest bid overall. */
export const HIGHEST_OVERALL_SQL = `${COLUMNS} ${ORDER}`;
/** The highest bid on one item (one parameter: the item). */
export const HIGHEST_FOR_ITEM_SQL = `${COLUMNS} WHERE item = ? ${ORDER}`;

/** A highest-bid lookup: the bid, no bid yet, or MySQL could not be asked. */
export type HighestBid = { state: 'bid'; bid: Bid } | { state: 'none' } | { state: 'unavailable' };

/**
 * Reads the highest bids from MySQL, the system of record, through the
 * process's pool. A failed read is logged and answered `unavailable`, so the
 * page still renders and the API can say 503.
 */
export class HighestBids {
  constructor(
    private readonly pool: mysql.Pool,
    private readonly log: Logger,
  ) {}

  overall(): Promise<HighestBid> {
    return this.lookup(HIGHEST_OVERALL_SQL, []);
  }

  forItem(item: string): Promise<HighestBid> {
    return this.lookup(HIGHEST_FOR_ITEM_SQL, [item]);
  }

  private async lookup(sql: string, params: string[]): Promise<HighestBid> {
    try {
      const [rows] = await this.pool.query<mysql.RowDataPacket[]>(sql, params);
      return rows[0] ? { state: 'bid', bid: bidFromSqlRow(rows[0]) } : { state: 'none' };
    } catch (error) {
      this.log.warn({ err: errorMessage(error) }, 'highest bid unavailable');
      return { state: 'unavailable' };
    }
  }
}
