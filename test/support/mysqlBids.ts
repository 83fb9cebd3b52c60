import type mysql from 'mysql2/promise';
import type { Bid } from '../../lib/bid/bid';

/** Every bid stored in a test database's `bids` table, read back in the shape it was produced in. */
export async function readMysqlBids(pool: mysql.Pool): Promise<Bid[]> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT bid_id, item, name, price, bid_ts FROM bids');
  return rows.map((row) => ({
    bid_id: String(row.bid_id),
    item: String(row.item),
    name: String(row.name),
    price: Number(row.price),
    // DATETIME(3) comes back as UTC text (dateStrings): `2025-01-01 00:00:01.234`.
    bid_ts: `${String(row.bid_ts).replace(' ', 'T')}Z`,
  }));
}

export async function countMysqlBids(pool: mysql.Pool): Promise<number> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM bids');
  return Number(rows[0]!.n);
}
