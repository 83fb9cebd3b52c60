import type { SinkRecord } from '../runtime/sink';
import type { HiveSqlDialect } from './hiveSettings';
import { toSqlTimestamp } from '../../lib/sqlTimestamp';
import { extraColumnText } from '../../lib/bid/readBid';

/** One statement and its parameters, ready for `connection.query`. */
export interface Statement {
  sql: string;
  params: (string | number)[];
}

/** Parameters of one bid row: bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, reset_generation, extra, bid_date. */
export const PARAMETERS_PER_BID_ROW = 10;

/**
 * The most bids one INSERT may carry. ODBC counts a statement's parameters
 * in a SQLSMALLINT, so 32,767 is the most any driver can take; past it the
 * `odbc` package aborts the whole process (std::bad_alloc, seen with 3,277
 * rows of 10 parameters on psqlODBC) instead of failing the statement.
 */
export const MAX_ROWS_PER_INSERT = Math.floor(32_767 / PARAMETERS_PER_BID_ROW);

/** The text the `extra` column holds when a bid has no fields beyond the columns: stored as NULL (see `bidRowPlaceholders`). */
const NO_EXTRA = '';

/** An INSERT of bids, with the records it carries (to name a refused one when it stands alone). */
export interface BidInsert extends Statement {
  records: readonly SinkRecord[];
}

/** The UTC date of an RFC 3339 UTC timestamp: the Hive partition a bid lands in. */
export function bidDateOf(isoUtc: string): string {
  return isoUtc.slice(0, 10);
}

/** Statements a new ODBC session runs first: Hive needs dynamic partitioning switched on for `PARTITION (bid_date)`. */
export function sessionSetup(dialect: HiveSqlDialect): string[] {
  return dialect === 'hive'
    ? ['SET hive.exec.dynamic.partition=true', 'SET hive.exec.dynamic.partition.mode=nonstrict']
    : [];
}

/**
 * The row placeholders of one bid, in table column order (bid_id, item, name,
 * price, bid_ts, kafka_partition, kafka_offset, reset_generation, extra,
 * bid_date: Hive keeps the partition column last). Hive converts the text of
 * a timestamp itself; PostgreSQL's server-side prepared statements need the
 * casts spelt out. The ODBC binding takes only text and numbers, so `extra`
 * is passed as empty text when there is nothing to keep and NULLIF makes it
 * NULL.
 */
function bidRowPlaceholders(dialect: HiveSqlDialect): string {
  return dialect === 'hive'
    ? "(?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?)"
    : "(?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, ?, NULLIF(CAST(? AS TEXT), ''), CAST(? AS DATE))";
}

function bidInsertHead(dialect: HiveSqlDialect, table: string): string {
  return dialect === 'hive'
    ? `INSERT INTO TABLE ${table} PARTITION (bid_date) VALUES `
    : `INSERT INTO ${table} (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, reset_generation, extra, bid_date) VALUES `;
}

/**
 * The INSERT statements that write `records`, at most `rowsPerInsert` bids
 * each, every value a parameter (never spliced into the SQL text). Every row
 * carries the table's current reset generation (see `resumePositions`).
 *
 * Records are ordered by partition, then offset, before they are cut into
 * statements, so whatever prefix of the statements has run, each partition's
 * stored bids are a prefix of its bids in the batch. Hive has no transaction
 * around the statements; this is what lets a restart resume from
 * MAX(kafka_offset) + 1 without a gap or a duplicate.
 */
export function bidInserts(
  dialect: HiveSqlDialect,
  table: string,
  records: readonly SinkRecord[],
  rowsPerInsert: number,
  generation: number,
): BidInsert[] {
  const ordered = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const statements: BidInsert[] = [];
  const row = bidRowPlaceholders(dialect);
  for (let start = 0; start < ordered.length; start += rowsPerInsert) {
    const chunk = ordered.slice(start, start + rowsPerInsert);
    const params: (string | number)[] = [];
    for (const { bid, extra, partition, offset } of chunk) {
      params.push(
        bid.bid_id,
        bid.item,
        bid.name,
        bid.price,
        toSqlTimestamp(bid.bid_ts),
        partition,
        offset,
        generation,
        extraColumnText(extra) ?? NO_EXTRA,
        bidDateOf(bid.bid_ts),
      );
    }
    statements.push({ sql: bidInsertHead(dialect, table) + chunk.map(() => row).join(', '), params, records: chunk });
  }
  return statements;
}

/**
 * Appends one row per partition to `<table>_positions`: where this batch
 * leaves each partition, in the given reset generation. `sink:reset` writes
 * such rows too, in a new generation: they are its reset markers.
 */
export function positionsInsert(
  dialect: HiveSqlDialect,
  table: string,
  topic: string,
  positions: ReadonlyMap<number, number>,
  writtenAt: Date,
  generation: number,
): Statement | undefined {
  if (positions.size === 0) return undefined;
  const head =
    dialect === 'hive'
      ? `INSERT INTO TABLE ${table}_positions VALUES `
      : `INSERT INTO ${table}_positions (topic, kafka_partition, next_offset, written_at, reset_generation) VALUES `;
  const row = dialect === 'hive' ? '(?, ?, ?, ?, ?)' : '(?, ?, ?, CAST(? AS TIMESTAMP), ?)';
  const params: (string | number)[] = [];
  for (const [partition, next] of positions)
    params.push(topic, partition, next, toSqlTimestamp(writtenAt.toISOString()), generation);
  return { sql: head + [...positions].map(() => row).join(', '), params };
}

/**
 * A row's reset generation in SQL. A Hive table that gained the column by
 * `ALTER TABLE … ADD COLUMNS` reads NULL in its older rows, which belong to
 * generation 0; the PostgreSQL column is NOT NULL DEFAULT 0, so it can be
 * compared as it is (and its index used).
 */
function generationOf(dialect: HiveSqlDialect): string {
  return dialect === 'hive' ? 'COALESCE(reset_generation, 0)' : 'reset_generation';
}

/** The table's current reset generation: the highest in the positions table (no rows, or only old ones: 0). */
export function currentGenerationQuery(table: string): string {
  return `SELECT MAX(reset_generation) AS generation FROM ${table}_positions`;
}

/** The highest stored offset of each partition that has bids of the given generation (one parameter: the generation). */
export function lastStoredOffsetsQuery(dialect: HiveSqlDialect, table: string): string {
  return `SELECT kafka_partition, MAX(kafka_offset) AS last_offset FROM ${table} WHERE ${generationOf(dialect)} = ? GROUP BY kafka_partition`;
}

/**
 * The highest offset already stored for each Kafka partition of `records`,
 * read only where those records would be: their bid dates (Hive prunes every
 * other date partition) and their Kafka partitions. Enough to find what an
 * interrupted attempt at the same records kept, since `bidInserts` stores each
 * partition's records as a prefix in offset order: every stored record of the
 * batch has a bid date of the batch, and whatever it holds below the batch is
 * below every offset of the batch anyway. Only rows of the current reset
 * generation count: a bid of the same date and partition stored before a
 * reset (say, of a topic since recreated) is not this record.
 */
export function storedOffsetsAmong(
  dialect: HiveSqlDialect,
  table: string,
  records: readonly SinkRecord[],
  generation: number,
): Statement {
  const dates = [...new Set(records.map((record) => bidDateOf(record.bid.bid_ts)))].sort();
  const partitions = [...new Set(records.map((record) => record.partition))].sort((a, b) => a - b);
  // bid_date is a STRING partition column in Hive and a DATE column in PostgreSQL.
  const date = dialect === 'hive' ? '?' : 'CAST(? AS DATE)';
  return {
    sql:
      `SELECT kafka_partition, MAX(kafka_offset) AS last_offset FROM ${table} ` +
      `WHERE bid_date IN (${dates.map(() => date).join(', ')}) AND kafka_partition IN (${partitions.map(() => '?').join(', ')}) ` +
      `AND ${generationOf(dialect)} = ? GROUP BY kafka_partition`,
    params: [...dates, ...partitions, generation],
  };
}

/** The records of `records` past what is already stored (partition → highest stored offset). */
export function notYetStored(records: readonly SinkRecord[], storedUpTo: ReadonlyMap<number, number>): SinkRecord[] {
  return records.filter((record) => record.offset > (storedUpTo.get(record.partition) ?? -1));
}

/** The furthest recorded position of each partition of `topic` in the given generation (parameters: the topic, the generation). */
export function recordedPositionsQuery(dialect: HiveSqlDialect, table: string): string {
  return `SELECT kafka_partition, MAX(next_offset) AS next_offset FROM ${table}_positions WHERE topic = ? AND ${generationOf(dialect)} = ? GROUP BY kafka_partition`;
}

/**
 * Where each partition resumes: past the last stored bid, or past the last
 * recorded position when the records after that bid were all dead letters.
 * The larger of the two, since the bids are written before the position row.
 *
 * Both count only rows of the current reset generation. `sink:reset` starts a
 * new generation with one position row per partition (its marker), so a
 * reset back to an earlier offset wins over higher offsets stored before it:
 * after a topic was deleted and recreated, the old incarnation's bids stay in
 * the table but no longer say where to resume. Append-only rows and a plain
 * integer column are all this needs, which HiveServer2 has.
 */
export function resumePositions(
  lastStoredOffsets: ReadonlyMap<number, number>,
  recordedPositions: ReadonlyMap<number, number>,
  partitions: readonly number[],
): Map<number, number> {
  const resume = new Map<number, number>();
  for (const partition of partitions) {
    const afterStored = lastStoredOffsets.has(partition) ? lastStoredOffsets.get(partition)! + 1 : undefined;
    const recorded = recordedPositions.get(partition);
    const next = Math.max(afterStored ?? -1, recorded ?? -1);
    if (next >= 0) resume.set(partition, next);
  }
  return resume;
}
