import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Bid } from '../../lib/bid/bid';
import { CSV_COLUMNS } from '../../workers/csv/csvFormat';
import { restoreNeutralised } from '../../workers/csv/neutraliseFormula';

/** A CSV row as written: every column of the export. */
export type CsvBidRow = Record<(typeof CSV_COLUMNS)[number], string>;

/**
 * Parses the export strictly (csv-parse rejects a torn quote or a row with
 * the wrong number of cells) and checks it has exactly one header, ours.
 */
export function readCsvRows(file: string): CsvBidRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const rows = parse(text, { columns: (header: string[]) => header, record_delimiter: '\r\n' }) as CsvBidRow[];
  for (const row of rows) {
    if (row.bid_id === 'bid_id') throw new Error(`${file} has a second header`);
  }
  const header = text.slice(0, text.indexOf('\r\n')).split(',');
  if (header.join(',') !== CSV_COLUMNS.join(',')) throw new Error(`${file} starts with "${header.join(',')}"`);
  return rows;
}

/** The bids in the export, in the produced shape (formula neutralising undone). */
export function readCsvBids(file: string): Bid[] {
  return readCsvRows(file).map((row) => ({
    bid_id: row.bid_id,
    item: restoreNeutralised(row.item),
    name: restoreNeutralised(row.name),
    price: Number(row.price),
    bid_ts: row.bid_ts,
  }));
}
