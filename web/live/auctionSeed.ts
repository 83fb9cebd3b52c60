import type mysql from 'mysql2/promise';
import { bidFromSqlRow } from '../../lib/bid/bidFromSqlRow';
import { RECENT_BIDS_PER_LOT, type SeededLot } from './auctionState';

/**
 * Each lot's highest bid (MySQL's order: price, then the earliest), its last
 * bids and its bid count, in one pass over `bids`: every row is ranked twice
 * within its lot, and only the rows that are first by price or among the
 * latest come back.
 */
export const AUCTION_SEED_SQL = `
SELECT bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, bids, by_price, by_time
FROM (
  SELECT bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset,
         COUNT(*) OVER (PARTITION BY item) AS bids,
         ROW_NUMBER() OVER (PARTITION BY item ORDER BY price DESC, bid_ts ASC, kafka_offset ASC) AS by_price,
         ROW_NUMBER() OVER (PARTITION BY item ORDER BY bid_ts DESC, kafka_offset DESC) AS by_time
  FROM bids
) ranked
WHERE by_price = 1 OR by_time <= ${RECENT_BIDS_PER_LOT}
ORDER BY item, by_time`;

/** The auction as MySQL, the system of record, holds it now: what the live feed starts from. */
export async function readAuctionSeed(pool: mysql.Pool): Promise<SeededLot[]> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(AUCTION_SEED_SQL);
  const lots = new Map<string, SeededLot>();
  for (const row of rows) {
    const bid = bidFromSqlRow(row);
    const placed = { bid, partition: Number(row.kafka_partition), offset: Number(row.kafka_offset) };
    let lot = lots.get(bid.item);
    if (lot === undefined) {
      // Rows come newest first within a lot, so the first one seen is recent; the highest is set below.
      lot = { item: bid.item, bids: Number(row.bids), highest: placed, recent: [] };
      lots.set(bid.item, lot);
    }
    if (Number(row.by_price) === 1) lot.highest = placed;
    if (Number(row.by_time) <= RECENT_BIDS_PER_LOT) lot.recent.push(bid);
  }
  return [...lots.values()];
}
