import { ADDED_BID_FIELDS } from '../../lib/bid/addedBidFields';
import { bidSchema } from '../../lib/bid/bid';
import type { JsonValue } from '../../lib/bid/readBid';
import type { SinkRecord } from '../runtime/sink';
import { CSV_COLUMNS, csvRow, csvText } from './csvFormat';
import { neutraliseFormula } from './neutraliseFormula';

/**
 * The columns this CSV worker writes and how a bid fills them: the first
 * columns (`CSV_COLUMNS`), then one per field its bid schema added since the
 * first version, in the schema's order. A file has one layout from its
 * header to its end: a worker whose layout differs from the file's starts a
 * new file (see `csvSink`).
 *
 * - A field this worker knows that a record lacks (a bid written under an
 *   older version) gets the schema's `default` for it, or an empty cell when
 *   the schema gives none.
 * - A field a record carries that this worker does not know (written under a
 *   newer version) has no column in this file: it is left out of the export
 *   and logged (`unknownFields`), and appears from the file a worker of that
 *   version starts.
 */
export interface CsvLayout {
  readonly columns: readonly string[];
  /** The header line that starts every file of this layout. */
  readonly header: string;
  /** The cells of one record, in column order. */
  row(record: SinkRecord): string[];
  /** The fields of `record` this layout has no column for. */
  unknownFields(record: SinkRecord): string[];
}

/** The layout for a bid schema that added `addedFields` (their `default`s from `defaults`). */
export function csvLayout(
  addedFields: readonly string[] = ADDED_BID_FIELDS,
  defaults: Readonly<Record<string, JsonValue>> = schemaDefaults(addedFields),
): CsvLayout {
  const columns = [...CSV_COLUMNS, ...addedFields];
  const known = new Set(addedFields);
  return {
    columns,
    header: csvText([columns]),
    row(record) {
      const cells = csvRow(record);
      for (const field of addedFields) cells.push(addedCell(record.extra[field] ?? defaults[field]));
      return cells;
    },
    unknownFields(record) {
      return Object.keys(record.extra).filter((field) => !known.has(field));
    },
  };
}

/** A value of an added field as a cell: text neutralised like item and name, JSON for anything structured, empty for none. */
function addedCell(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return neutraliseFormula(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return neutraliseFormula(JSON.stringify(value));
}

/** The `default` this program's bid schema gives each added field, where it gives one. */
function schemaDefaults(addedFields: readonly string[]): Record<string, JsonValue> {
  const properties = bidSchema.properties as Readonly<Record<string, { default?: JsonValue }>>;
  const defaults: Record<string, JsonValue> = {};
  for (const field of addedFields) {
    const value = properties[field]?.default;
    if (value !== undefined) defaults[field] = value;
  }
  return defaults;
}
