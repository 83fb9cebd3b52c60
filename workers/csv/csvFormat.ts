import { stringify } from 'csv-stringify/sync';
import type { SinkRecord } from '../runtime/sink';
import { neutraliseFormula } from './neutraliseFormula';

/**
 * The export's columns, in their fixed order. Readers may rely on it: new
 * columns are only ever added at the end.
 */
export const CSV_COLUMNS = ['bid_id', 'item', 'name', 'price', 'bid_ts', 'kafka_partition', 'kafka_offset'] as const;

/** One bid as the cells of a CSV row: text neutralised, numbers as digits, bid_ts as received (RFC 3339, UTC). */
export function csvRow(record: SinkRecord): string[] {
  const { bid } = record;
  return [
    bid.bid_id,
    neutraliseFormula(bid.item),
    neutraliseFormula(bid.name),
    String(bid.price),
    bid.bid_ts,
    String(record.partition),
    String(record.offset),
  ];
}

/**
 * RFC 4180 text for rows: CRLF line ends, a field quoted when it holds a
 * comma, a quote or a line break (csv-stringify quotes `\n` and `\r` only
 * with the record delimiter it is told about, hence `quoted_match`).
 */
export function csvText(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** The header line, written once at the top of a new file. */
export const CSV_HEADER = csvText([[...CSV_COLUMNS]]);
