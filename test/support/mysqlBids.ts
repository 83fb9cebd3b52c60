import type mysql from 'mysql2/promise';
import type { Bid } from '../../lib/bid/bid';
import { bidFromSqlRow } from '../../lib/bid/bidFromSqlRow';

/** Every bid stored in a test database's `bids` table, read back in the shape it was produced in. */
export async function readMysqlBids(pool: mysql.Pool): Promise<Bid[]> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT bid_id, item, name, price, bid_ts FROM bids');
  return rows.map(bidFromSqlRow);
}

export async function countMysqlBids(pool: mysql.Pool): Promise<number> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM bids');
  return Number(rows[0]!.n);
}
