import type mysql from 'mysql2/promise';
import type { Bid } from '../lib/bid/bid';
import { fromSqlTimestamp } from '../lib/sqlTimestamp';

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

function toBid(row: mysql.RowDataPacket): Bid {
  return {
    bid_id: String(row.bid_id),
    item: String(row.item),
    name: String(row.name),
    price: Number(row.price),
    bid_ts: fromSqlTimestamp(String(row.bid_ts)),
  };
}

/** Reads the highest bids from MySQL, the system of record, through the process's pool. */
export class HighestBids {
  constructor(private readonly pool: mysql.Pool) {}

  async overall(): Promise<Bid | undefined> {
    const [rows] = await this.pool.query<mysql.RowDataPacket[]>(HIGHEST_OVERALL_SQL);
    return rows[0] ? toBid(rows[0]) : undefined;
  }

  async forItem(item: string): Promise<Bid | undefined> {
    const [rows] = await this.pool.query<mysql.RowDataPacket[]>(HIGHEST_FOR_ITEM_SQL, [item]);
    return rows[0] ? toBid(rows[0]) : undefined;
  }
}
