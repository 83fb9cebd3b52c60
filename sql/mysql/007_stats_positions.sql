-- Where the statistics worker has got to on each partition, committed with
-- the window figures it wrote, and the partition's stream time: the latest
-- bid_ts read from it so far. A window closes once the stream time of the
-- partition a bid comes from has passed the window's end by the allowed
-- lateness (STATS_ALLOWED_LATENESS_MS); keeping the stream time with the
-- position makes that decision the same after a restart.
CREATE TABLE IF NOT EXISTS stats_positions (
  consumer_group  VARCHAR(255) CHARACTER SET ascii NOT NULL,
  topic           VARCHAR(249) CHARACTER SET ascii NOT NULL,
  kafka_partition INT NOT NULL,
  next_offset     BIGINT NOT NULL COMMENT 'the offset of the next record to read',
  stream_time     DATETIME(3) NULL COMMENT 'UTC; the latest bid_ts read from the partition, NULL before the first bid',
  updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (consumer_group, topic, kafka_partition)
) ENGINE = InnoDB;
