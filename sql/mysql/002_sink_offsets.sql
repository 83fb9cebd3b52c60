-- Where a sink has durably got to on each partition: written in the same
-- transaction as the rows, so after any crash the sink resumes exactly after
-- the last bid it stored (the Kafka group commit is only for monitoring).
CREATE TABLE IF NOT EXISTS sink_offsets (
  consumer_group  VARCHAR(255) CHARACTER SET ascii NOT NULL,
  topic           VARCHAR(249) CHARACTER SET ascii NOT NULL,
  kafka_partition INT NOT NULL,
  next_offset     BIGINT NOT NULL COMMENT 'the offset of the next record to read',
  updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (consumer_group, topic, kafka_partition)
) ENGINE = InnoDB;
