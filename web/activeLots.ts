import type { Bid } from '../lib/bid/bid';
import { bidFromSqlRow } from '../lib/bid/bidFromSqlRow';
import { errorMessage } from '../lib/errorMessage';
import type { Logger } from '../lib/logger';
import type { MysqlReader } from './mysqlReader';
import { unavailableOf, type ReadUnavailable } from './readUnavailable';
import { SharedRead } from './sharedRead';

/** How many lots the page lists (the live `lots` event carries the same number). */
export const ACTIVE_LOTS_SHOWN = 10;

/** A lot among the most active: how many bids it has and its highest bid. */
export interface ActiveLot {
  item: string;
  bids: number;
  highest: Bid;
}

/**
 * The most active lots (most bids first, ties by item name) with each one's
 * highest bid (highest price, then earliest, then smallest id, as
 * `HIGHEST_FOR_ITEM_SQL`). Counting reads the index `bids_by_item_price`
 * (an index-only scan, not the rows); each lot's highest bid is then the
 * first entry of that index for the lot.
 */
export const MOST_ACTIVE_LOTS_SQL = `
  SELECT lots.item, lots.bids, b.bid_id, b.name, b.price, b.bid_ts
  FROM (
    SELECT item, COUNT(*) AS bids FROM bids GROUP BY item ORDER BY bids DESC, item ASC LIMIT ${ACTIVE_LOTS_SHOWN}
  ) AS lots
  JOIN bids AS b ON b.bid_id = (
    SELECT h.bid_id FROM bids AS h WHERE h.item = lots.item ORDER BY h.price DESC, h.bid_ts ASC, h.bid_id ASC LIMIT 1
  )
  ORDER BY lots.bids DESC, lots.item ASC`;

/** The most active lots (possibly none), or MySQL could not be asked (and why). */
export type ActiveLotsView = { state: 'lots'; lots: ActiveLot[] } | ReadUnavailable;

/**
 * Reads the most active lots from MySQL. The count scans an index of the
 * whole table (about 130 ms at 500,000 bids on the development machine), so
 * page views arriving while a read is in flight, or within `freshMs` after,
 * share it. A failed read is logged and answered `unavailable` with its
 * reason.
 */
export class ActiveLots {
  private readonly shared: SharedRead<ActiveLotsView>;

  constructor(
    private readonly reader: MysqlReader,
    freshMs: number,
    private readonly log: Logger,
  ) {
    this.shared = new SharedRead(() => this.read(), freshMs);
  }

  mostActive(): Promise<ActiveLotsView> {
    return this.shared.get();
  }

  private async read(): Promise<ActiveLotsView> {
    try {
      const rows = await this.reader.query('active_lots', MOST_ACTIVE_LOTS_SQL);
      return {
        state: 'lots',
        lots: rows.map((row) => ({ item: String(row.item), bids: Number(row.bids), highest: bidFromSqlRow(row) })),
      };
    } catch (error) {
      const unavailable = unavailableOf(error);
      this.log.warn({ err: errorMessage(error), reason: unavailable.reason }, 'most active lots unavailable');
      return unavailable;
    }
  }
}
