import type { Bid } from '../lib/bid/bid';
import { bidFromSqlRow } from '../lib/bid/bidFromSqlRow';
import { errorMessage } from '../lib/errorMessage';
import type { Logger } from '../lib/logger';
import type { MysqlReader, ReadName } from './mysqlReader';
import { unavailableOf, type ReadUnavailable } from './readUnavailable';
import { SharedRead } from './sharedRead';
import { SharedReadsByKey } from './sharedReadsByKey';

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

/** A highest-bid lookup: the bid, no bid yet, or MySQL could not be asked (and why). */
export type HighestBid = { state: 'bid'; bid: Bid } | { state: 'none' } | ReadUnavailable;

/** Lots whose highest bid is kept at once; the one asked for least recently goes first. */
export const ITEMS_KEPT = 1000;

/**
 * Reads the highest bids from MySQL, the system of record, through the
 * process's bounded reader. Requests asking for the same figure while it is
 * read, or within `freshMs` after, share one query. A failed read is logged
 * and answered `unavailable` with its reason, so the page still renders and
 * the API can say 503 and why.
 */
export class HighestBids {
  private readonly overallRead: SharedRead<HighestBid>;
  private readonly itemReads: SharedReadsByKey<HighestBid>;

  constructor(
    private readonly reader: MysqlReader,
    freshMs: number,
    private readonly log: Logger,
  ) {
    this.overallRead = new SharedRead(() => this.lookup('highest_overall', HIGHEST_OVERALL_SQL, []), freshMs);
    this.itemReads = new SharedReadsByKey(
      (item) => this.lookup('highest_item', HIGHEST_FOR_ITEM_SQL, [item]),
      freshMs,
      ITEMS_KEPT,
    );
  }

  overall(): Promise<HighestBid> {
    return this.overallRead.get();
  }

  forItem(item: string): Promise<HighestBid> {
    return this.itemReads.get(item);
  }

  private async lookup(read: ReadName, sql: string, params: string[]): Promise<HighestBid> {
    try {
      const rows = await this.reader.query(read, sql, params);
      return rows[0] ? { state: 'bid', bid: bidFromSqlRow(rows[0]) } : { state: 'none' };
    } catch (error) {
      const unavailable = unavailableOf(error);
      this.log.warn({ err: errorMessage(error), reason: unavailable.reason }, 'highest bid unavailable');
      return unavailable;
    }
  }
}
