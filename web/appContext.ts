import type { Logger } from '../lib/logger';
import type { BidIntake } from './bidIntake';
import type { HighestBids } from './highestBid';
import type { Probe } from './readiness';
import type { WebSettings } from './settings';

/** What the routes need from the running process; tests build the same from the real stack. */
export interface AppContext {
  settings: WebSettings;
  intake: BidIntake;
  highest: HighestBids;
  /** Readiness probes by dependency name: kafka, registry, mysql. */
  probes: Readonly<Record<string, Probe>>;
  log: Logger;
}
