import { integerSetting, type Env } from '../../lib/env';

/** The statistics worker's own settings, read once at start-up. */
export interface StatsSettings {
  /**
   * How far a partition's stream time may pass a window's end before the
   * window closes: a bid arriving later is counted only as late.
   */
  allowedLatenessMs: number;
}

/** A week: anything longer keeps every window open for longer than anyone watches it. */
const MAX_ALLOWED_LATENESS_MS = 7 * 24 * 3_600_000;

export function readStatsSettings(env: Env): StatsSettings {
  return {
    allowedLatenessMs: integerSetting(env, 'STATS_ALLOWED_LATENESS_MS', 10_000, {
      min: 0,
      max: MAX_ALLOWED_LATENESS_MS,
    }),
  };
}
