import type { SinkRecord } from '../runtime/sink';
import { neutraliseFormula } from './neutraliseFormula';

/**
 * The export's first columns, in their fixed order: every file starts with
 * them. Fields added to the bid schema since follow them, in the schema's
 * order (`csvLayout`); a file never changes its columns.
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

/** A cell that must be quoted: it holds the delimiter, a quote or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * RFC 4180 text for rows: CRLF line ends, a field quoted (its quotes
 * doubled) when it holds a comma, a quote or a line break, as csv-stringify
 * writes it with `record_delimiter: 'windows'` and `quoted_match: /[\r\n]/`
 * (a unit test holds the two to the same output). Written by hand because
 * a backlog drain spent a tenth of the worker's time in csv-stringify's
 * per-cell option handling.
 */
export function csvText(rows: readonly (readonly string[])[]): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const cell = row[i]!;
      if (i > 0) text += ',';
      text += NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    }
    text += '\r\n';
  }
  return text;
}

/** The header line of a file with the first columns only (no field added to the bid yet). */
export const CSV_HEADER = csvText([[...CSV_COLUMNS]]);
