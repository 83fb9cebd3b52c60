import { integerSetting, type Env } from '../lib/env';

/** How the web app bounds what reads (the page, the highest-bid API, /readyz) may cost. */
export interface ReadSettings {
  /**
   * How long an answer read from MySQL is served to every request that asks
   * for the same figure (0: only requests arriving while the read is in
   * flight share it).
   */
  cacheMs: number;
  /** Requests other than bids one client address may make per minute (pages, API reads, /readyz, live streams). */
  rateLimitPerMinute: number;
  /** Reads waiting for a free MySQL connection; one more is answered 503 at once. */
  mysqlQueueLimit: number;
  /** The longest a read may wait for a connection and its answer from MySQL before it is answered 503. */
  mysqlQueryTimeoutMs: number;
}

export function readReadSettings(env: Env): ReadSettings {
  return {
    cacheMs: integerSetting(env, 'READ_CACHE_MS', 100, { min: 0, max: 60_000 }),
    rateLimitPerMinute: integerSetting(env, 'READ_RATE_LIMIT_PER_MINUTE', 600, { min: 1, max: 100_000_000 }),
    mysqlQueueLimit: integerSetting(env, 'MYSQL_QUEUE_LIMIT', 100, { min: 1, max: 100_000 }),
    mysqlQueryTimeoutMs: integerSetting(env, 'MYSQL_QUERY_TIMEOUT_MS', 2000, { min: 100, max: 60_000 }),
  };
}
