import { errorMessage } from '../../lib/errorMessage';
import type { Logger } from '../../lib/logger';
import type { MysqlReader } from '../mysqlReader';
import { unavailableOf } from '../readUnavailable';
import { SharedRead } from '../sharedRead';
import {
  dashboardFigures,
  dashboardRange,
  sqlDatetime,
  TOP_SHOWN,
  WINDOW_SECONDS,
  type DashboardRow,
  type DashboardSnapshot,
} from './dashboardWindows';

/**
 * Every figure of a snapshot in one query (one round trip, one bound in
 * time), as rows tagged by `part`:
 *
 * - `rate`: the overall 3-second windows of the rate chart (3 minutes);
 * - `item`: the last minute's items, each read once: its bids, late bids,
 *   highest price and its bids per window (`spark`: `index:bids,…`, index 0
 *   being the minute's first window); only the items among the ten with
 *   most bids or the ten with most late bids come back (ranked by window
 *   functions in MySQL, ties by item), so a thousand active lots cost one
 *   scan of the minute's rows and ten or twenty rows on the wire. The scan
 *   reads the index by window start: left to itself the optimiser reads the
 *   primary key's range of every item's whole history instead, which grows
 *   with the table (measured with 1,000 lots in each window: 106 ms at 5
 *   minutes of history, 314 ms at 20 minutes; by window start 124 and
 *   137 ms);
 * - `bidder`: the last minute's ten bidders with most bids.
 *
 * Parameters: as `dashboardParameters` lists them.
 */
export const DASHBOARD_SQL = `
  (SELECT 'rate' AS part, window_start, '' AS label, bids, late_bids AS late, highest_price AS highest, NULL AS spark
   FROM bid_windows
   WHERE window_seconds = ${WINDOW_SECONDS} AND item = '' AND window_start >= ? AND window_start < ?)
  UNION ALL
  (SELECT 'item', NULL, item, total, late, highest, spark
   FROM (
     SELECT item, SUM(bids) AS total, SUM(late_bids) AS late, MAX(highest_price) AS highest,
       GROUP_CONCAT(TIMESTAMPDIFF(SECOND, ?, window_start) DIV ${WINDOW_SECONDS}, ':', bids) AS spark,
       ROW_NUMBER() OVER (ORDER BY SUM(bids) DESC, item ASC) AS by_bids,
       ROW_NUMBER() OVER (ORDER BY SUM(late_bids) DESC, item ASC) AS by_late
     FROM bid_windows FORCE INDEX (bid_windows_by_start)
     WHERE window_seconds = ${WINDOW_SECONDS} AND item <> '' AND window_start >= ? AND window_start < ?
     GROUP BY item
   ) AS ranked
   WHERE (by_bids <= ${TOP_SHOWN} AND total > 0) OR (by_late <= ${TOP_SHOWN} AND late > 0))
  UNION ALL
  (SELECT 'bidder', NULL, name, SUM(bids), 0, NULL, NULL
   FROM bid_window_bidders
   WHERE window_seconds = ${WINDOW_SECONDS} AND item = '' AND window_start >= ? AND window_start < ?
   GROUP BY name ORDER BY SUM(bids) DESC, name ASC LIMIT ${TOP_SHOWN})`;

/** `DASHBOARD_SQL`'s parameters for the windows of `nowMs`. */
function dashboardParameters(nowMs: number): { range: ReturnType<typeof dashboardRange>; values: string[] } {
  const range = dashboardRange(nowMs);
  const rateFrom = sqlDatetime(range.rateFrom);
  const minuteFrom = sqlDatetime(range.minuteFrom);
  const to = sqlDatetime(range.to);
  return { range, values: [rateFrom, to, minuteFrom, minuteFrom, to, minuteFrom, to] };
}

/**
 * The dashboard's figures, read from the statistics tables through the web
 * app's read path (its MySQL account, timeout and queue limit). Requests
 * arriving while a read is in flight share it; `latest()` answers the last
 * snapshot while it is younger than `refreshMs`, so that page views and API
 * reads add no query while the live stream reads every `refreshMs` anyway.
 * A failed read is logged and answered `unavailable` with its reason: never
 * thrown.
 */
export class DashboardSnapshots {
  private readonly shared = new SharedRead(() => this.read());
  private last: { snapshot: DashboardSnapshot; at: number } | undefined;

  constructor(
    private readonly reader: MysqlReader,
    private readonly refreshMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** A snapshot read now (or joined, while one is being read). */
  fresh(): Promise<DashboardSnapshot> {
    return this.shared.get();
  }

  /** The last snapshot while it is younger than `refreshMs`, else a fresh one. */
  latest(): Promise<DashboardSnapshot> {
    const last = this.last;
    if (last !== undefined && this.now() - last.at < this.refreshMs) return Promise.resolve(last.snapshot);
    return this.fresh();
  }

  private async read(): Promise<DashboardSnapshot> {
    const nowMs = this.now();
    const generatedAt = new Date(nowMs).toISOString();
    let snapshot: DashboardSnapshot;
    try {
      const { range, values } = dashboardParameters(nowMs);
      const rows = await this.reader.query('dashboard', DASHBOARD_SQL, values);
      snapshot = {
        state: 'figures',
        generatedAt,
        windowSeconds: WINDOW_SECONDS,
        ...dashboardFigures(rows as unknown as DashboardRow[], range),
      };
    } catch (error) {
      const unavailable = unavailableOf(error);
      this.log.warn({ err: errorMessage(error), reason: unavailable.reason }, 'dashboard figures unavailable');
      snapshot = { state: 'unavailable', generatedAt, reason: unavailable.reason };
    }
    this.last = { snapshot, at: nowMs };
    return snapshot;
  }
}
