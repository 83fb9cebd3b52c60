import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import Kafka, { type TopicPartitionOffset } from 'node-rdkafka';
import { loadEnv } from '../../lib/env';
import { connectionProperties, readKafkaSettings } from '../../lib/kafka/settings';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { freePort, waitFor } from '../support/service';

/** One sample of a Prometheus text exposition: `name{labels} value`. */
function sample(metrics: string, name: string, labels: string): number | undefined {
  const line = metrics.split('\n').find((text) => text.startsWith(`${name}{`) && text.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The offsets a consumer group has committed on each partition of a topic, as Kafka itself reports them. */
async function committedOffsets(group: string, topic: string, partitions: number[]): Promise<TopicPartitionOffset[]> {
  const consumer = new Kafka.KafkaConsumer(
    {
      ...connectionProperties(readKafkaSettings(loadEnv()), 'test-lag'),
      'group.id': group,
      'enable.auto.commit': false,
    },
    {},
  );
  await new Promise<void>((resolve, reject) => consumer.connect({}, (error) => (error ? reject(error) : resolve())));
  try {
    return await new Promise<TopicPartitionOffset[]>((resolve, reject) =>
      consumer.committed(
        partitions.map((partition) => ({ topic, partition })),
        10_000,
        (error, offsets) => (error ? reject(error) : resolve(offsets)),
      ),
    );
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

/**
 * Whether anything accepts a TCP connection on host:port. Any loopback
 * address other than the one a server is bound to shows whether it listens on
 * every interface (0.0.0.0 answers on all of 127.0.0.0/8 and on the machine's
 * network addresses alike), without sending anything off this machine.
 */
function answersOn(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve(false) : reject(error),
    );
  });
}

describe('watching a sink worker', { timeout: 120_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  before(async () => {
    topic = await createTestTopic('observe', 3);
    database = await createTestDatabase('observe');
  });
  after(async () => {
    await database.drop();
    await deleteTestTopic(topic);
  });

  it('serves written records, lag per partition and the last write on /metrics, and commits its group offsets to Kafka', async () => {
    const bids = Array.from({ length: 300 }, (_, i) => sampleBid(i));
    const stream = await BidStream.open();
    try {
      await stream.sendBids(topic, bids);
    } finally {
      await stream.close();
    }
    const port = await freePort();
    const group = `observe-${randomUUID().slice(0, 8)}`;
    const worker = new SinkWorkerProcess('mysql', {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: group,
      METRICS_PORT: String(port),
    });
    try {
      await waitFor('every bid in MySQL', async () =>
        (await countMysqlBids(database.pool)) === 300 ? true : undefined,
      );
      const metrics = await waitFor('lag 0 on every partition', async () => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const lags = [0, 1, 2].map((partition) => sample(text, 'sink_consumer_lag', `partition="${partition}"`));
        return lags.every((lag) => lag === 0) ? text : undefined;
      });
      assert.equal(sample(metrics, 'sink_records_written_total', 'sink="mysql"'), 300);
      assert.equal(sample(metrics, 'sink_waiting_for_store', 'sink="mysql"'), 0);
      assert.equal(sample(metrics, 'sink_batch_in_hand_seconds', 'sink="mysql"'), 0, 'no batch in hand once caught up');
      const lastWrite = sample(metrics, 'sink_last_write_timestamp_seconds', 'sink="mysql"') ?? 0;
      assert.ok(Math.abs(Date.now() / 1000 - lastWrite) < 60, `last write at ${lastWrite}`);

      const committed = await waitFor('the group commits to cover every record', async () => {
        const offsets = await committedOffsets(group, topic, [0, 1, 2]);
        return offsets.reduce((sum, { offset }) => sum + Math.max(0, offset), 0) === 300 ? offsets : undefined;
      });
      assert.equal(committed.length, 3);
    } finally {
      await worker.stop();
    }
  });

  it('serves /metrics on 127.0.0.1 only by default, and on every interface only when METRICS_HOST says so', async () => {
    const worker = async (env: Record<string, string>): Promise<SinkWorkerProcess> => {
      const started = new SinkWorkerProcess('mysql', {
        MYSQL_URL: database.url,
        KAFKA_TOPIC: topic,
        SINK_CONSUMER_GROUP: `observe-${randomUUID().slice(0, 8)}`,
        ...env,
      });
      await started.waitForLog((line) => line.msg === 'sink worker started', 60_000);
      return started;
    };

    const port = await freePort();
    const byDefault = await worker({ METRICS_PORT: String(port) });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 200);
      assert.equal(await answersOn('127.0.0.2', port), false, 'not listening on every interface');
    } finally {
      await byDefault.stop();
    }

    const everywherePort = await freePort();
    const everywhere = await worker({ METRICS_PORT: String(everywherePort), METRICS_HOST: '0.0.0.0' });
    try {
      assert.equal(await answersOn('127.0.0.2', everywherePort), true);
    } finally {
      await everywhere.stop();
    }
  });
});
