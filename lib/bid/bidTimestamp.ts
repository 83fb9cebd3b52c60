/**
 * What a bid's `bid_ts` may be, beyond RFC 3339: the schema's pattern keeps
 * it to values every store holds exactly. MySQL's DATETIME(3) rounds a fourth
 * fraction digit and cannot hold a leap second or year 0000; PostgreSQL and
 * Hive have no leap seconds either; lowercase `t`/`z` and offsets would be
 * stored as text that no longer equals the bid. The years 1970–2999 are a
 * range every store holds (MySQL DATETIME: 1000–9999, Hive: 0001–9999), and
 * a server clock outside it is broken, not a bid.
 */
export const EARLIEST_BID_YEAR = 1970;
export const LATEST_BID_YEAR = 2999;

/** The first rule of the `bid_ts` pattern a value breaks, in words for a bidder or an operator. */
export function describeBidTimestampProblem(value: unknown): string {
  const expected = 'must look like 2026-11-23T10:15:30.123Z';
  if (typeof value !== 'string') return expected;
  if (!/Z$/.test(value)) return 'must be in UTC, ending in an uppercase Z';
  if (/^[^T]*t/.test(value)) return 'must separate the date from the time with an uppercase T';
  const year = /^(\d+)-/.exec(value)?.[1];
  if (year !== undefined) {
    const number = Number(year);
    if (year.length !== 4 || number < EARLIEST_BID_YEAR || number > LATEST_BID_YEAR) {
      return `must have a year from ${EARLIEST_BID_YEAR} to ${LATEST_BID_YEAR}, got ${year}`;
    }
  }
  if (/T\d\d:\d\d:6\d/.test(value)) return 'must have seconds from 00 to 59 (no leap second)';
  if (/\.\d{4,}Z$/.test(value)) return 'must have at most 3 fraction digits (milliseconds)';
  return expected;
}
