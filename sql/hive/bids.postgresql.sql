-- The same tables as sql/hive/bids.hql for the local ODBC data source
-- (psqlODBC on PostgreSQL, HIVE_SQL_DIALECT=postgresql), which stands where
-- HiveServer2 stands in production. bid_date is an ordinary indexed column
-- here rather than a Hive partition. The worker runs this on start with
-- ${hivevar:table} replaced by HIVE_TABLE.

CREATE TABLE IF NOT EXISTS ${hivevar:table} (
  bid_id          VARCHAR(36)  NOT NULL,
  item            VARCHAR(100) NOT NULL,
  name            VARCHAR(100) NOT NULL,
  price           BIGINT       NOT NULL,
  bid_ts          TIMESTAMP(3) NOT NULL,
  kafka_partition INTEGER      NOT NULL,
  kafka_offset    BIGINT       NOT NULL,
  bid_date        DATE         NOT NULL
);

CREATE INDEX IF NOT EXISTS ${hivevar:table}_by_position ON ${hivevar:table} (kafka_partition, kafka_offset);

CREATE INDEX IF NOT EXISTS ${hivevar:table}_by_date ON ${hivevar:table} (bid_date);

CREATE TABLE IF NOT EXISTS ${hivevar:table}_positions (
  topic           VARCHAR(249) NOT NULL,
  kafka_partition INTEGER      NOT NULL,
  next_offset     BIGINT       NOT NULL,
  written_at      TIMESTAMP(3) NOT NULL
);

CREATE INDEX IF NOT EXISTS ${hivevar:table}_positions_by_partition ON ${hivevar:table}_positions (topic, kafka_partition, next_offset);
