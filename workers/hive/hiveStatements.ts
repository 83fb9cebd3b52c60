import type { SinkRecord } from '../runtime/sink';
import type { HiveSqlDialect } from './hiveSettings';
import { toSqlTimestamp } from '../../lib/sqlTimestamp';

/** One statement and its parameters, ready for `connection.query`. */
export interface Statement {
  sql: string;
  params: (string | number)[];
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
 * price, bid_ts, kafka_partition, kafka_offset, bid_date). Hive converts the
 * text of a timestamp itself; PostgreSQL's server-side prepared statements
 * need the casts spelt out.
 */
function bidRowPlaceholders(dialect: HiveSqlDialect): string {
  return dialect === 'hive' ? '(?, ?, ?, ?, ?, ?, ?, ?)' : '(?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, CAST(? AS DATE))';
}

function bidInsertHead(dialect: HiveSqlDialect, table: string): string {
  return dialect === 'hive'
    ? `INSERT INTO TABLE ${table} PARTITION (bid_date) VALUES `
    : `INSERT INTO ${table} (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset, bid_date) VALUES `;
}

/**
 * The INSERT statements that write `records`, at most `rowsPerInsert` bids
 * each, every value a parameter (never spliced into the SQL text).
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
): Statement[] {
  const ordered = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const statements: Statement[] = [];
  const row = bidRowPlaceholders(dialect);
  for (let start = 0; start < ordered.length; start += rowsPerInsert) {
    const chunk = ordered.slice(start, start + rowsPerInsert);
    const params: (string | number)[] = [];
    for (const { bid, partition, offset } of chunk) {
      params.push(
        bid.bid_id,
        bid.item,
        bid.name,
        bid.price,
        toSqlTimestamp(bid.bid_ts),
        partition,
        offset,
        bidDateOf(bid.bid_ts),
      );
    }
    statements.push({ sql: bidInsertHead(dialect, table) + chunk.map(() => row).join(', '), params });
  }
  return statements;
}

/** Appends one row per partition to `<table>_positions`: where this batch leaves each partition. */
export function positionsInsert(
  dialect: HiveSqlDialect,
  table: string,
  topic: string,
  positions: ReadonlyMap<number, number>,
  writtenAt: Date,
): Statement | undefined {
  if (positions.size === 0) return undefined;
  const head =
    dialect === 'hive'
      ? `INSERT INTO TABLE ${table}_positions VALUES `
      : `INSERT INTO ${table}_positions (topic, kafka_partition, next_offset, written_at) VALUES `;
  const row = dialect === 'hive' ? '(?, ?, ?, ?)' : '(?, ?, ?, CAST(? AS TIMESTAMP))';
  const params: (string | number)[] = [];
  for (const [partition, next] of positions)
    params.push(topic, partition, next, toSqlTimestamp(writtenAt.toISOString()));
  return { sql: head + [...positions].map(() => row).join(', '), params };
}

/** The highest stored offset of each partition that has bids in the table. */
export function lastStoredOffsetsQuery(table: string): string {
  return `SELECT kafka_partition, MAX(kafka_offset) AS last_offset FROM ${table} GROUP BY kafka_partition`;
}

/** The furthest recorded position of each partition of `topic` (one parameter: the topic). */
export function recordedPositionsQuery(table: string): string {
  return `SELECT kafka_partition, MAX(next_offset) AS next_offset FROM ${table}_positions WHERE topic = ? GROUP BY kafka_partition`;
}

/**
 * Where each partition resumes: past the last stored bid, or past the last
 * recorded position when the records after that bid were all dead letters.
 * The larger of the two, since the bids are written before the position row.
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
