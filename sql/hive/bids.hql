-- The bids table in Hive: a managed ORC table, one partition per bid date
-- (UTC), with the Kafka partition and offset of each bid as columns. The Hive
-- sink worker runs this on start (IF NOT EXISTS, so it is harmless) with
-- ${hivevar:table} replaced by HIVE_TABLE; from beeline:
--   beeline -u jdbc:hive2://host:10000/default --hivevar table=bids -f sql/hive/bids.hql
--
-- Where a partition of the topic has got to is MAX(kafka_offset) + 1 here,
-- or the latest row of the positions table when the bids last read were all
-- dead letters; the worker resumes from the larger of the two, counting only
-- rows of the current reset generation (the highest in the positions table):
-- `npm run sink:reset` starts a new one, so a reset (say, to the start of a
-- recreated topic) wins over higher offsets stored before it.
--
-- Tables created before reset_generation or extra existed are upgraded by the
-- worker on start (their older rows read NULL: generation 0, no fields beyond
-- the columns); by hand:
--   ALTER TABLE bids ADD COLUMNS (reset_generation INT) CASCADE;
--   ALTER TABLE bids_positions ADD COLUMNS (reset_generation INT);
--   ALTER TABLE bids ADD COLUMNS (extra STRING) CASCADE;
-- Hive's INSERT … VALUES fills every column in order, so a worker of an older
-- version cannot write a table with a column it does not know: stop it before
-- the new one starts (README, "Upgrading the bid schema").

CREATE TABLE IF NOT EXISTS ${hivevar:table} (
  bid_id          STRING    COMMENT 'UUID set by the web app when the bid was accepted',
  item            STRING    COMMENT 'the lot bid on',
  name            STRING    COMMENT 'the bidder',
  price           BIGINT    COMMENT 'whole currency units, 1 to 1,000,000,000',
  bid_ts          TIMESTAMP COMMENT 'when the bid was accepted, UTC',
  kafka_partition INT       COMMENT 'partition of the auction topic the bid was read from',
  kafka_offset    BIGINT    COMMENT 'offset of the bid in that partition',
  reset_generation INT      COMMENT 'the sink:reset generation the bid was written in',
  extra           STRING    COMMENT 'fields of the bid beyond these columns (added to the bid schema later), a JSON object; NULL if none'
)
COMMENT 'Every accepted bid, once, from the auction topic'
PARTITIONED BY (bid_date STRING COMMENT 'UTC date of bid_ts, yyyy-MM-dd')
STORED AS ORC;

CREATE TABLE IF NOT EXISTS ${hivevar:table}_positions (
  topic           STRING    COMMENT 'Kafka topic',
  kafka_partition INT       COMMENT 'partition of that topic',
  next_offset     BIGINT    COMMENT 'offset of the next record to read',
  written_at      TIMESTAMP COMMENT 'when the batch was written, UTC',
  reset_generation INT      COMMENT 'the sink:reset generation; a reset starts a new one with a row per partition'
)
COMMENT 'Where the Hive sink has got to in each partition (append-only; the latest row wins)'
STORED AS ORC;
