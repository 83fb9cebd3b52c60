import { fromSqlTimestamp } from '../sqlTimestamp';
import type { Bid } from './bid';

/** A bid read back from a SQL row (MySQL, or an ODBC table): numbers may come as text, bid_ts as UTC wall-clock text. */
export function bidFromSqlRow(row: Readonly<Record<string, unknown>>): Bid {
  return {
    bid_id: String(row.bid_id),
    item: String(row.item),
    name: String(row.name),
    price: Number(row.price),
    bid_ts: fromSqlTimestamp(String(row.bid_ts)),
  };
}
