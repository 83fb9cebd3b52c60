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
  reset_generation INTEGER     NOT NULL DEFAULT 0,
  bid_date        DATE         NOT NULL,
  extra           TEXT         NULL
);

-- Tables created before reset generations existed (see bids.hql).
ALTER TABLE ${hivevar:table} ADD COLUMN IF NOT EXISTS reset_generation INTEGER NOT NULL DEFAULT 0;

-- Tables created before the bid could carry fields beyond the columns (see bids.hql): a JSON object, NULL if none.
ALTER TABLE ${hivevar:table} ADD COLUMN IF NOT EXISTS extra TEXT NULL;

CREATE INDEX IF NOT EXISTS ${hivevar:table}_by_generation ON ${hivevar:table} (reset_generation, kafka_partition, kafka_offset);

CREATE INDEX IF NOT EXISTS ${hivevar:table}_by_date ON ${hivevar:table} (bid_date);

CREATE TABLE IF NOT EXISTS ${hivevar:table}_positions (
  topic           VARCHAR(249) NOT NULL,
  kafka_partition INTEGER      NOT NULL,
  next_offset     BIGINT       NOT NULL,
  written_at      TIMESTAMP(3) NOT NULL,
  reset_generation INTEGER     NOT NULL DEFAULT 0
);

ALTER TABLE ${hivevar:table}_positions ADD COLUMN IF NOT EXISTS reset_generation INTEGER NOT NULL DEFAULT 0;

CREATE INDEX IF NOT EXISTS ${hivevar:table}_positions_by_generation ON ${hivevar:table}_positions (topic, reset_generation, kafka_partition, next_offset);
