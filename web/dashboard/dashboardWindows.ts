import type { UnavailableReason } from '../readUnavailable';

/**
 * What the dashboard shows, and from which rows of `bid_windows` and
 * `bid_window_bidders` (sql/mysql/005, 006): only complete 3-second windows,
 * the last one being the window before the one the server's clock (UTC) is
 * in now. "The last minute" is the 20 windows before that one; the rate
 * chart covers the 60 before it (3 minutes).
 */

/** The size of the windows the dashboard reads (the statistics worker also keeps 60 s windows). */
export const WINDOW_SECONDS = 3;
/** Windows in "the last minute". */
export const MINUTE_WINDOWS = 20;
/** Windows on the rate chart: 3 minutes. */
export const RATE_WINDOWS = 60;
/** Items, bidders and items with late bids listed. */
export const TOP_SHOWN = 10;

/** The windows a snapshot covers, as UTC epoch seconds (start inclusive, end exclusive). */
export interface DashboardRange {
  /** The start of the rate chart's first window. */
  rateFrom: number;
  /** The start of the last minute's first window. */
  minuteFrom: number;
  /** The end of the last complete window: the start of the window the clock is in. */
  to: number;
}

/** The windows to read at `nowMs` (the server's clock). */
export function dashboardRange(nowMs: number): DashboardRange {
  const to = Math.floor(nowMs / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
  return { rateFrom: to - RATE_WINDOWS * WINDOW_SECONDS, minuteFrom: to - MINUTE_WINDOWS * WINDOW_SECONDS, to };
}

/** Epoch seconds → `2026-11-23 19:00:03`, the UTC text a DATETIME column takes and gives back. */
export function sqlDatetime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Epoch seconds → `2026-11-23T19:00:03Z`. */
export function isoSeconds(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 19)}Z`;
}

/** `2026-11-23 19:00:03` (UTC) → epoch seconds. */
function epochOf(datetime: string): number {
  return Date.parse(`${datetime.replace(' ', 'T').slice(0, 19)}Z`) / 1000;
}

/** One 3-second window of the overall rate. */
export interface RatePoint {
  /** The window's start, UTC. */
  start: string;
  bids: number;
  /** bids / 3, to two decimals. */
  bidsPerSecond: number;
  /** Bids of this window that arrived after it closed (not in `bids`). */
  lateBids: number;
}

/** An item among the most active in the last minute. */
export interface ActiveItem {
  item: string;
  bids: number;
  /** Its highest price in the last minute's windows. */
  highest: number | null;
  /** Its bids in each of the last minute's windows, oldest first. */
  sparkline: number[];
}

export interface DashboardFigures {
  /** The rate chart's windows, oldest first, every window present (0 where none was stored). */
  rate: RatePoint[];
  /** The last minute, every item together. */
  minute: { from: string; to: string; bids: number; bidsPerSecond: number; lateBids: number };
  /** Most bids first, ties by item name. */
  items: ActiveItem[];
  /** Most bids first, ties by name: the last minute's bidders, every item together. */
  bidders: { name: string; bids: number }[];
  /** Late bids: of the rate chart's windows, of the last minute's, and the items with most in the last minute. */
  late: { inRate: number; inMinute: number; items: { item: string; lateBids: number }[] };
}

/** The figures, or why MySQL gave none; `generatedAt` is the server's clock when it read them. */
export type DashboardSnapshot =
  | ({ state: 'figures'; generatedAt: string; windowSeconds: number } & DashboardFigures)
  | { state: 'unavailable'; generatedAt: string; reason: UnavailableReason };

/** One row of `DASHBOARD_SQL`: which part of the snapshot it belongs to, and its figures. */
export interface DashboardRow {
  part: 'rate' | 'item' | 'bidder';
  window_start: string | null;
  label: string;
  bids: number | string;
  late: number | string;
  highest: number | string | null;
  /** An item's bids per window of the last minute: `index:bids,…` (windows without a row are missing). */
  spark: string | null;
}

const perSecond = (bids: number): number => Math.round((bids / WINDOW_SECONDS) * 100) / 100;

/** `index:bids,…` → the minute's bids per window, 0 where none is listed. */
function sparklineOf(text: string | null): number[] {
  const sparkline = new Array<number>(MINUTE_WINDOWS).fill(0);
  for (const entry of (text ?? '').split(',')) {
    const [index, bids] = entry.split(':').map(Number);
    if (index !== undefined && bids !== undefined && index >= 0 && index < MINUTE_WINDOWS) sparkline[index] = bids;
  }
  return sparkline;
}

/** Most first, ties in byte order of the name (as MySQL's utf8mb4_bin sorts). */
function byCountThenName<T>(count: (entry: T) => number, name: (entry: T) => string) {
  return (a: T, b: T): number => count(b) - count(a) || Buffer.compare(Buffer.from(name(a)), Buffer.from(name(b)));
}

/** Assembles the figures from the rows of one read (any order), filling windows without a row with 0. */
export function dashboardFigures(rows: readonly DashboardRow[], range: DashboardRange): DashboardFigures {
  const rate: RatePoint[] = [];
  for (let start = range.rateFrom; start < range.to; start += WINDOW_SECONDS) {
    rate.push({ start: isoSeconds(start), bids: 0, bidsPerSecond: 0, lateBids: 0 });
  }
  const minuteItems: (ActiveItem & { lateBids: number })[] = [];
  const bidders: { name: string; bids: number }[] = [];
  for (const row of rows) {
    switch (row.part) {
      case 'rate': {
        const point = rate[(epochOf(String(row.window_start)) - range.rateFrom) / WINDOW_SECONDS];
        if (point === undefined) break;
        point.bids = Number(row.bids);
        point.bidsPerSecond = perSecond(point.bids);
        point.lateBids = Number(row.late);
        break;
      }
      case 'item':
        minuteItems.push({
          item: row.label,
          bids: Number(row.bids),
          highest: row.highest === null ? null : Number(row.highest),
          sparkline: sparklineOf(row.spark),
          lateBids: Number(row.late),
        });
        break;
      case 'bidder':
        bidders.push({ name: row.label, bids: Number(row.bids) });
        break;
    }
  }
  // The query returns the items among the most active or with most late bids, in no promised order.
  const items = minuteItems
    .filter((item) => item.bids > 0)
    .sort(
      byCountThenName(
        (entry) => entry.bids,
        (entry) => entry.item,
      ),
    )
    .slice(0, TOP_SHOWN)
    .map(({ item, bids, highest, sparkline }) => ({ item, bids, highest, sparkline }));
  const lateItems = minuteItems
    .filter((item) => item.lateBids > 0)
    .sort(
      byCountThenName(
        (entry) => entry.lateBids,
        (entry) => entry.item,
      ),
    )
    .slice(0, TOP_SHOWN)
    .map(({ item, lateBids }) => ({ item, lateBids }));
  bidders.sort(
    byCountThenName(
      (entry) => entry.bids,
      (entry) => entry.name,
    ),
  );

  const minutePoints = rate.slice(rate.length - MINUTE_WINDOWS);
  const minuteBids = minutePoints.reduce((sum, point) => sum + point.bids, 0);
  const minuteLate = minutePoints.reduce((sum, point) => sum + point.lateBids, 0);
  return {
    rate,
    minute: {
      from: isoSeconds(range.minuteFrom),
      to: isoSeconds(range.to),
      bids: minuteBids,
      bidsPerSecond: Math.round((minuteBids / (MINUTE_WINDOWS * WINDOW_SECONDS)) * 100) / 100,
      lateBids: minuteLate,
    },
    items,
    bidders,
    late: {
      inRate: rate.reduce((sum, point) => sum + point.lateBids, 0),
      inMinute: minuteLate,
      items: lateItems,
    },
  };
}
