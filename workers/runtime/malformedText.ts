import { isWellFormedText } from '../../lib/bid/wellFormedText';
import type { SinkRecord } from './sink';

/** A text field of a bid that is not well-formed Unicode. */
export interface MalformedText {
  record: SinkRecord;
  field: 'item' | 'name';
}

/**
 * The bids whose item or name holds a lone surrogate (JSON's "\ud800" decodes
 * to one). A UTF-8 store (the ODBC driver, mysql2, the CSV file) would
 * silently hold U+FFFD in its place, so a sink refuses such a bid rather
 * than store something other than what was bid.
 */
export function malformedTextOf(records: readonly SinkRecord[]): MalformedText[] {
  const found: MalformedText[] = [];
  for (const record of records) {
    for (const field of ['item', 'name'] as const) {
      if (!isWellFormedText(record.bid[field])) found.push({ record, field });
    }
  }
  return found;
}
