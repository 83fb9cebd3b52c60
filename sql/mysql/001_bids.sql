-- The system of record: one row per accepted bid, written by the MySQL sink.
-- kafka_partition/kafka_offset say where the bid came from on `auction`.
CREATE TABLE IF NOT EXISTS bids (
  bid_id          CHAR(36) CHARACTER SET ascii NOT NULL,
  item            VARCHAR(100) NOT NULL,
  name            VARCHAR(100) NOT NULL,
  price           INT UNSIGNED NOT NULL,
  bid_ts          DATETIME(3) NOT NULL COMMENT 'UTC',
  kafka_partition INT NOT NULL,
  kafka_offset    BIGINT NOT NULL,
  PRIMARY KEY (bid_id),
  -- The highest bid for an item is the first row of this index for that item:
  -- highest price, then the earliest bid at that price.
  KEY bids_by_item_price (item, price DESC, bid_ts ASC),
  -- The highest bid overall, likewise.
  KEY bids_by_price (price DESC, bid_ts ASC)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
