-- Who bid in each window, and how often: the distinct-bidder figure of
-- bid_windows is counted from these rows, and the dashboard's top bidders
-- are the overall (item '') rows of the last windows. Late bids are not here.
CREATE TABLE IF NOT EXISTS bid_window_bidders (
  window_seconds  SMALLINT UNSIGNED NOT NULL,
  window_start    DATETIME NOT NULL COMMENT 'UTC',
  item            VARCHAR(100) NOT NULL COMMENT '\'\' = every item',
  name            VARCHAR(100) NOT NULL,
  bids            INT UNSIGNED NOT NULL,
  PRIMARY KEY (window_seconds, item, window_start, name),
  KEY bid_window_bidders_by_start (window_seconds, window_start)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
