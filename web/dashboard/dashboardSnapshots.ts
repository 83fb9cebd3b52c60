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

/** The most active items of the last minute: `?` from, `?` to. Items with only late bids there are not active. */
const TOP_ITEMS = `
  SELECT item, SUM(bids) AS total, MAX(highest_price) AS highest, SUM(late_bids) AS late
  FROM bid_windows
  WHERE window_seconds = ${WINDOW_SECONDS} AND item <> '' AND window_start >= ? AND window_start < ?
  GROUP BY item HAVING SUM(bids) > 0
  ORDER BY total DESC, item ASC LIMIT ${TOP_SHOWN}`;

/**
 * Every figure of a snapshot in one query (one round trip, one bound in
 * time), as rows tagged by `part`: the overall 3-second windows of the rate
 * chart, the last minute's most active items and each one's windows (its
 * sparkline), the last minute's top bidders, and its items with most late
 * bids. Each part reads the index (window_seconds, item, window_start) or
 * (window_seconds, window_start) over at most 3 minutes of windows.
 * Parameters: the range's bounds as `dashboardParameters` lists them.
 */
export const DASHBOARD_SQL = `
  (SELECT 'rate' AS part, window_start, '' AS label, bids, late_bids AS late, highest_price AS highest
   FROM bid_windows
   WHERE window_seconds = ${WINDOW_SECONDS} AND item = '' AND window_start >= ? AND window_start < ?)
  UNION ALL
  (SELECT 'item', NULL, top.item, top.total, top.late, top.highest FROM (${TOP_ITEMS}) AS top)
  UNION ALL
  (SELECT 'spark', w.window_start, w.item, w.bids, w.late_bids, w.highest_price
   FROM (${TOP_ITEMS}) AS top
   JOIN bid_windows AS w
     ON w.window_seconds = ${WINDOW_SECONDS} AND w.item = top.item AND w.window_start >= ? AND w.window_start < ?)
  UNION ALL
  (SELECT 'bidder', NULL, name, SUM(bids), 0, NULL
   FROM bid_window_bidders
   WHERE window_seconds = ${WINDOW_SECONDS} AND item = '' AND window_start >= ? AND window_start < ?
   GROUP BY name ORDER BY SUM(bids) DESC, name ASC LIMIT ${TOP_SHOWN})
  UNION ALL
  (SELECT 'late', NULL, item, 0, SUM(late_bids), NULL
   FROM bid_windows
   WHERE window_seconds = ${WINDOW_SECONDS} AND item <> '' AND window_start >= ? AND window_start < ?
   GROUP BY item HAVING SUM(late_bids) > 0 ORDER BY SUM(late_bids) DESC, item ASC LIMIT ${TOP_SHOWN})`;

/** `DASHBOARD_SQL`'s parameters for the windows of `nowMs`. */
function dashboardParameters(nowMs: number): { range: ReturnType<typeof dashboardRange>; values: string[] } {
  const range = dashboardRange(nowMs);
  const rateFrom = sqlDatetime(range.rateFrom);
  const minuteFrom = sqlDatetime(range.minuteFrom);
  const to = sqlDatetime(range.to);
  const minute = [minuteFrom, to];
  return { range, values: [rateFrom, to, ...minute, ...minute, ...minute, ...minute, ...minute] };
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
