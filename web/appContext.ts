import type { Logger } from '../lib/logger';
import type { ActiveLots } from './activeLots';
import type { DashboardFeed } from './dashboard/dashboardFeed';
import type { DashboardSnapshots } from './dashboard/dashboardSnapshots';
import type { BidIntake } from './bidIntake';
import type { HighestBids } from './highestBid';
import type { ReadinessReport } from './readinessReport';
import type { RecentBids } from './recentBids';
import type { WebSettings } from './settings';
import type { LiveFeed } from './live/liveFeed';
import type { WebMetrics } from './webMetrics';

/** What the routes need from the running process; tests build the same from the real stack. */
export interface AppContext {
  settings: WebSettings;
  intake: BidIntake;
  highest: HighestBids;
  /** The live event stream's source: this instance's tail of the bid topic. */
  live: LiveFeed;
  /** An item's last bids, for the page and its live refresh. */
  recentBids: RecentBids;
  /** The most active lots with their highest bids. */
  activeLots: ActiveLots;
  /** The dashboard's figures (from the statistics tables) and its live streams. */
  dashboard: { snapshots: DashboardSnapshots; feed: DashboardFeed };
  /** What /readyz answers: kafka, producer and registry are required to take bids; mysql only degrades reads. */
  readiness: ReadinessReport;
  /** The process's Prometheus metrics (served at /metrics); created once in web/main.ts. */
  metrics: WebMetrics;
  log: Logger;
}
