/**
 * Bid timestamps in SQL stores: the UTC wall-clock text a DATETIME(3) or
 * TIMESTAMP column takes and gives back (`2026-11-23 09:15:00.123`), and the
 * RFC 3339 form bids carry (`2026-11-23T09:15:00.123Z`).
 */

/** `2026-11-23T09:15:00.123Z` → `2026-11-23 09:15:00.123`. */
export function toSqlTimestamp(isoUtc: string): string {
  return isoUtc.replace('T', ' ').replace(/Z$/, '');
}

/**
 * `2026-11-23 09:15:00.123` (or with fewer fraction digits, as PostgreSQL
 * prints `…00.12`) → `2026-11-23T09:15:00.123Z`, the exact text of the bid.
 */
export function fromSqlTimestamp(text: string): string {
  const [whole = '', fraction = ''] = text.replace(' ', 'T').replace(/Z$/, '').split('.');
  return `${whole}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
}
