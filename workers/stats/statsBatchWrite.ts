import type mysql from 'mysql2/promise';
import { fromSqlTimestamp, toSqlTimestamp } from '../../lib/sqlTimestamp';
import type { SinkBatch } from '../runtime/sink';
import { recountRanges } from './recountRanges';
import { foldBids, type WindowDelta } from './windowDeltas';

/** Where the worker stands on one partition, as stored: the next offset to read and the stream time. */
interface StoredPosition {
  nextOffset: number;
  streamTimeMs: number | undefined;
}

const POSITIONS_FOR_UPDATE =
  'SELECT kafka_partition, next_offset, stream_time FROM stats_positions ' +
  'WHERE consumer_group = ? AND topic = ? AND kafka_partition IN (?) FOR UPDATE';

/**
 * Adds a batch's figures to the window rows. A window that had no counted
 * bid has NULL prices, and so may the batch's delta (only late bids):
 * GREATEST and LEAST would turn either NULL into NULL, so each side stands
 * in for the other when missing.
 */
const WINDOW_UPSERT =
  'INSERT INTO bid_windows (window_seconds, window_start, item, bids, bidders, highest_price, lowest_price, price_sum, late_bids) VALUES ? ' +
  'ON DUPLICATE KEY UPDATE bids = bids + VALUES(bids), ' +
  'highest_price = GREATEST(COALESCE(highest_price, VALUES(highest_price)), COALESCE(VALUES(highest_price), highest_price)), ' +
  'lowest_price = LEAST(COALESCE(lowest_price, VALUES(lowest_price)), COALESCE(VALUES(lowest_price), lowest_price)), ' +
  'price_sum = price_sum + VALUES(price_sum), late_bids = late_bids + VALUES(late_bids)';

const BIDDER_UPSERT =
  'INSERT INTO bid_window_bidders (window_seconds, window_start, item, name, bids) VALUES ? ' +
  'ON DUPLICATE KEY UPDATE bids = bids + VALUES(bids)';

/**
 * Distinct bidders, counted exactly from the bidder rows, for every window of
 * one size, these items and a range of starts (see recountRanges.ts).
 */
const BIDDERS_RECOUNT =
  'UPDATE bid_windows w JOIN (SELECT window_seconds, item, window_start, COUNT(*) AS bidders FROM bid_window_bidders ' +
  'WHERE window_seconds = ? AND item IN (?) AND window_start BETWEEN ? AND ? GROUP BY window_seconds, item, window_start) c ' +
  'ON w.window_seconds = c.window_seconds AND w.item = c.item AND w.window_start = c.window_start ' +
  'SET w.bidders = c.bidders WHERE w.window_seconds = ? AND w.item IN (?) AND w.window_start BETWEEN ? AND ?';

/**
 * Positions only move forward and stream time only grows, as in the MySQL
 * sink: a NULL stream time (no bid read yet) gives way to any other.
 */
const POSITION_UPSERT =
  'INSERT INTO stats_positions (consumer_group, topic, kafka_partition, next_offset, stream_time) VALUES ? ' +
  'ON DUPLICATE KEY UPDATE next_offset = GREATEST(next_offset, VALUES(next_offset)), ' +
  'stream_time = GREATEST(COALESCE(stream_time, VALUES(stream_time)), COALESCE(VALUES(stream_time), stream_time))';

/** Rows per statement: keeps each statement's text well under max_allowed_packet. */
const ROWS_PER_STATEMENT = 2_000;

function sqlDateTime(ms: number): string {
  return toSqlTimestamp(new Date(ms).toISOString()).slice(0, 19);
}

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    await write(rows.slice(start, start + ROWS_PER_STATEMENT));
  }
}

async function readPositions(
  connection: mysql.PoolConnection,
  group: string,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, StoredPosition>> {
  if (partitions.length === 0) return new Map();
  const [rows] = await connection.query<mysql.RowDataPacket[]>(POSITIONS_FOR_UPDATE, [group, topic, partitions]);
  return new Map(
    rows.map((row) => [
      Number(row.kafka_partition),
      {
        nextOffset: Number(row.next_offset),
        streamTimeMs: row.stream_time === null ? undefined : Date.parse(fromSqlTimestamp(String(row.stream_time))),
      },
    ]),
  );
}

async function writeWindows(connection: mysql.PoolConnection, windows: readonly WindowDelta[]): Promise<void> {
  await inChunks(windows, (chunk) =>
    connection.query(WINDOW_UPSERT, [
      chunk.map((w) => [
        w.seconds,
        sqlDateTime(w.startMs),
        w.item,
        w.bids,
        0,
        w.highest,
        w.lowest,
        w.priceSum,
        w.lateBids,
      ]),
    ]),
  );
  const bidderRows = windows.flatMap((w) =>
    [...w.bidders].map(([name, bids]) => [w.seconds, sqlDateTime(w.startMs), w.item, name, bids]),
  );
  await inChunks(bidderRows, (chunk) => connection.query(BIDDER_UPSERT, [chunk]));
  for (const range of recountRanges(windows.filter((w) => w.bidders.size > 0))) {
    const where = [range.seconds, range.items, sqlDateTime(range.fromMs), sqlDateTime(range.toMs)];
    await connection.query(BIDDERS_RECOUNT, [...where, ...where]);
  }
}

/**
 * Writes one batch inside the caller's transaction. The partitions' stored
 * positions are read and locked first: records before a stored position
 * were counted already (by this worker before a retry, or by a newer owner
 * of the partition while this one stalled) and are left out, so no bid is
 * ever counted twice; the stored stream time is where lateness resumes.
 * Then the window figures, the bidder rows, the distinct-bidder counts and
 * the new positions, committed together by the caller.
 */
export async function writeStatsBatch(
  connection: mysql.PoolConnection,
  place: { group: string; topic: string; allowedLatenessMs: number },
  batch: SinkBatch,
): Promise<void> {
  const { group, topic, allowedLatenessMs } = place;
  const partitions = [...new Set([...batch.positions.keys(), ...batch.records.map((record) => record.partition)])];
  const stored = await readPositions(connection, group, topic, partitions);
  const fresh = batch.records.filter((record) => record.offset >= (stored.get(record.partition)?.nextOffset ?? 0));
  const streamTimes = new Map<number, number>();
  for (const [partition, position] of stored) {
    if (position.streamTimeMs !== undefined) streamTimes.set(partition, position.streamTimeMs);
  }
  const folded = foldBids(fresh, streamTimes, allowedLatenessMs);
  await writeWindows(connection, folded.windows);
  const positions = [...batch.positions].map(([partition, next]) => {
    const streamTimeMs = folded.streamTimes.get(partition);
    const streamTime = streamTimeMs === undefined ? null : toSqlTimestamp(new Date(streamTimeMs).toISOString());
    return [group, topic, partition, next, streamTime];
  });
  if (positions.length > 0) await connection.query(POSITION_UPSERT, [positions]);
}
