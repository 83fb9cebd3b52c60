import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import odbc from 'odbc';
import { loadEnv } from '../../lib/env';
import { DeliveringProducer } from '../../lib/kafka/deliveringProducer';
import { readKafkaSettings } from '../../lib/kafka/settings';
import { createLogger } from '../../lib/logger';
import { BidCodec } from '../../lib/registry/bidCodec';
import { readRegistrySettings } from '../../lib/registry/settings';
import { bidSchema } from '../../lib/bid/bid';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { readTopic } from '../support/readTopic';
import { toSqlTimestamp } from '../../lib/sqlTimestamp';
import { readHiveSettings } from '../../workers/hive/hiveSettings';
import { sampleBid } from '../support/bidStream';

const env = loadEnv();
const log = createLogger('test', 'warn');

/** The ODBC data source the Hive sink uses (here psqlODBC on PostgreSQL). */
const ODBC_CONNECTION_STRING = readHiveSettings(env).connectionString;

describe('the real stack, end to end', () => {
  let topic: string;
  let database: TestDatabase;
  before(async () => {
    topic = await createTestTopic('stack-roundtrip');
    database = await createTestDatabase();
  });
  after(async () => {
    await deleteTestTopic(topic);
    await database.drop();
  });

  it('registers the bid schema under auction-value and reads it back by id', async () => {
    const settings = readRegistrySettings(env);
    const codec = BidCodec.fromSettings(settings);
    const id = await codec.register();
    assert.equal(await codec.register(), id, 'registering the same schema again returns the same id');
    const response = await fetch(`${settings.url}/schemas/ids/${id}`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { schema: string; schemaType?: string };
    assert.equal(body.schemaType, 'JSON');
    assert.deepEqual(JSON.parse(body.schema), bidSchema);
  });

  it('produces a bid through the broker and consumes it back, decoded', async () => {
    const codec = BidCodec.fromSettings(readRegistrySettings(env));
    await codec.register();
    const producer = new DeliveringProducer(
      readKafkaSettings(env),
      'test',
      { lingerMs: 0, messageTimeoutMs: 10_000 },
      log,
    );
    await producer.connect();
    const bid = sampleBid(0);
    try {
      const delivery = await producer.send({ topic, key: bid.item, value: codec.encode(bid) });
      assert.equal(delivery.topic, topic);
      assert.ok(delivery.offset >= 0);
    } finally {
      await producer.close();
    }
    const [message] = await readTopic(topic, 1);
    assert.ok(message, 'the record came back');
    assert.equal(message.key?.toString(), bid.item);
    const decoded = await codec.decode(message.value);
    assert.ok(decoded.ok, JSON.stringify(decoded));
    assert.deepEqual(decoded.bid, bid);
    assert.deepEqual(decoded.extra, {}, 'no field beyond the columns');
    assert.equal(decoded.schemaId, codec.registeredSchemaId);
  });

  it('writes and reads a bid row in MySQL', async () => {
    const bid = sampleBid(0);
    await database.pool.execute(
      'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES (?, ?, ?, ?, ?, 0, 0)',
      [bid.bid_id, bid.item, bid.name, bid.price, toSqlTimestamp(bid.bid_ts)],
    );
    const [rows] = await database.pool.query('SELECT item, name, price FROM bids WHERE bid_id = ?', [bid.bid_id]);
    assert.deepEqual(rows, [{ item: bid.item, name: bid.name, price: bid.price }]);
  });

  it('writes and reads a row through the ODBC driver manager and a real driver', async () => {
    const connection = await odbc.connect(ODBC_CONNECTION_STRING);
    const table = `odbc_probe_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    try {
      await connection.query(`CREATE TABLE ${table} (bid_id VARCHAR(36) PRIMARY KEY, price INTEGER NOT NULL)`);
      const bid = sampleBid(0);
      await connection.query(`INSERT INTO ${table} (bid_id, price) VALUES (?, ?)`, [bid.bid_id, bid.price]);
      const rows = await connection.query<{ bid_id: string; price: number }>(
        `SELECT bid_id, price FROM ${table} WHERE bid_id = ?`,
        [bid.bid_id],
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.bid_id, bid.bid_id);
      assert.equal(Number(rows[0]?.price), bid.price);
    } finally {
      await connection.query(`DROP TABLE IF EXISTS ${table}`);
      await connection.close();
    }
  });
});
