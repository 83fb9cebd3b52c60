-- Bid statistics in tumbling windows of the bids' own time (bid_ts, UTC),
-- written by the statistics worker (workers/stats/, group stats-sink) in the
-- same transaction as its positions (stats_positions), so a bid is counted
-- exactly once whatever crashes. One row per window size, item and window;
-- item '' is every item together (an item always holds a letter or digit).
-- A bid that arrives after its window closed (the partition's stream time
-- passed the window's end by the allowed lateness) is counted in late_bids
-- only: it changes no other figure of a closed window.
CREATE TABLE IF NOT EXISTS bid_windows (
  window_seconds  SMALLINT UNSIGNED NOT NULL COMMENT '3 or 60',
  window_start    DATETIME NOT NULL COMMENT 'UTC, a multiple of window_seconds since 1970-01-01',
  item            VARCHAR(100) NOT NULL COMMENT '\'\' = every item',
  bids            INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'bids counted in the window (late ones excluded)',
  bidders         INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'distinct names among those bids',
  highest_price   INT UNSIGNED NULL COMMENT 'NULL while bids = 0',
  lowest_price    INT UNSIGNED NULL COMMENT 'NULL while bids = 0',
  price_sum       BIGINT UNSIGNED NOT NULL DEFAULT 0,
  late_bids       INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'bids of this window that arrived after it closed',
  updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (window_seconds, item, window_start),
  -- The dashboard's "most active items" reads every item's row of one window.
  KEY bid_windows_by_start (window_seconds, window_start)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
