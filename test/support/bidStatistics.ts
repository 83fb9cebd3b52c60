import type { Message } from 'node-rdkafka';
import type mysql from 'mysql2/promise';
import { bidOf } from './readTopic';

/** A bid_windows row as the test compares it (updated_at left out). */
export interface WindowRow {
  window_seconds: number;
  window_start: string;
  item: string;
  bids: number;
  bidders: number;
  highest_price: number | null;
  lowest_price: number | null;
  price_sum: number;
  late_bids: number;
}

/** A bid_window_bidders row. */
export interface BidderRow {
  window_seconds: number;
  window_start: string;
  item: string;
  name: string;
  bids: number;
}

export interface BidStatistics {
  windows: WindowRow[];
  bidders: BidderRow[];
}

/** How the stream's bids fell, per window size: the test checks its stream holds every case it means to. */
export interface LatenessCases {
  /** Bids older than their partition's stream time but still counted (within the allowed lateness). */
  outOfOrderOnTime: Record<number, number>;
  /** Bids counted only as late (beyond it). */
  late: Record<number, number>;
}

function byKey<T extends { window_seconds: number; item: string; window_start: string }>(
  a: T & { name?: string },
  b: T & { name?: string },
): number {
  return (
    a.window_seconds - b.window_seconds ||
    (a.item < b.item ? -1 : a.item > b.item ? 1 : 0) ||
    (a.window_start < b.window_start ? -1 : a.window_start > b.window_start ? 1 : 0) ||
    ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0)
  );
}

/** `2026-11-23 10:15:03`: how MySQL gives back a DATETIME (the pool reads dates as text). */
function sqlSecond(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The statistics the worker should hold for the records of a topic, worked
 * out here on their own from the rule in sql/mysql/005_bid_windows.sql and
 * 007_stats_positions.sql, with none of the worker's code: per partition in
 * offset order, a bid whose window's end plus the allowed lateness the
 * latest earlier bid time of its partition has reached is only late.
 */
export function expectedStatistics(
  records: readonly Message[],
  allowedLatenessMs: number,
): BidStatistics & { cases: LatenessCases } {
  const windows = new Map<string, WindowRow>();
  const bidders = new Map<string, BidderRow>();
  const cases: LatenessCases = { outOfOrderOnTime: { 3: 0, 60: 0 }, late: { 3: 0, 60: 0 } };
  const latest = new Map<number, number>();
  const ordered = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const record of ordered) {
    const bid = bidOf(record);
    const at = new Date(bid.bid_ts).getTime();
    const before = latest.get(record.partition);
    for (const seconds of [3, 60]) {
      const start = at - (at % (seconds * 1000));
      const end = start + seconds * 1000;
      const late = before !== undefined && before >= end + allowedLatenessMs;
      if (late) cases.late[seconds]! += 1;
      else if (before !== undefined && at < before) cases.outOfOrderOnTime[seconds]! += 1;
      for (const item of [bid.item, '']) {
        const key = JSON.stringify([seconds, start, item]);
        const row = windows.get(key) ?? {
          window_seconds: seconds,
          window_start: sqlSecond(start),
          item,
          bids: 0,
          bidders: 0,
          highest_price: null,
          lowest_price: null,
          price_sum: 0,
          late_bids: 0,
        };
        windows.set(key, row);
        if (late) {
          row.late_bids += 1;
          continue;
        }
        row.bids += 1;
        row.price_sum += bid.price;
        row.highest_price = Math.max(row.highest_price ?? bid.price, bid.price);
        row.lowest_price = Math.min(row.lowest_price ?? bid.price, bid.price);
        const bidderKey = JSON.stringify([seconds, start, item, bid.name]);
        const bidder = bidders.get(bidderKey);
        if (bidder) bidder.bids += 1;
        else {
          bidders.set(bidderKey, {
            window_seconds: seconds,
            window_start: sqlSecond(start),
            item,
            name: bid.name,
            bids: 1,
          });
          row.bidders += 1;
        }
      }
    }
    latest.set(record.partition, Math.max(before ?? at, at));
  }
  return { windows: [...windows.values()].sort(byKey), bidders: [...bidders.values()].sort(byKey), cases };
}

function numberOrNull(value: unknown): number | null {
  return value === null ? null : Number(value);
}

/** Every bid_windows and bid_window_bidders row of the database, in the order `expectedStatistics` gives. */
export async function readBidStatistics(pool: mysql.Pool): Promise<BidStatistics> {
  const [windowRows] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT window_seconds, window_start, item, bids, bidders, highest_price, lowest_price, price_sum, late_bids FROM bid_windows',
  );
  const [bidderRows] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT window_seconds, window_start, item, name, bids FROM bid_window_bidders',
  );
  return {
    windows: windowRows
      .map((row) => ({
        window_seconds: Number(row.window_seconds),
        window_start: String(row.window_start),
        item: String(row.item),
        bids: Number(row.bids),
        bidders: Number(row.bidders),
        highest_price: numberOrNull(row.highest_price),
        lowest_price: numberOrNull(row.lowest_price),
        price_sum: Number(row.price_sum),
        late_bids: Number(row.late_bids),
      }))
      .sort(byKey),
    bidders: bidderRows
      .map((row) => ({
        window_seconds: Number(row.window_seconds),
        window_start: String(row.window_start),
        item: String(row.item),
        name: String(row.name),
        bids: Number(row.bids),
      }))
      .sort(byKey),
  };
}

/** How many records the statistics worker has counted on `topic`: the sum of its stored next offsets. */
export async function countedRecords(pool: mysql.Pool, topic: string): Promise<number> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT COALESCE(SUM(next_offset), 0) AS counted FROM stats_positions WHERE topic = ?',
    [topic],
  );
  return Number(rows[0]!.counted);
}
