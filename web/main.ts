import type { AddressInfo } from 'node:net';
import { loadEnv } from '../lib/env';
import { DeliveringProducer } from '../lib/kafka/deliveringProducer';
import { readKafkaSettings } from '../lib/kafka/settings';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { createMysqlPool, pingMysql } from '../lib/mysql/pool';
import { readMysqlSettings } from '../lib/mysql/settings';
import { BidCodec } from '../lib/registry/bidCodec';
import { readRegistrySettings } from '../lib/registry/settings';
import { createApp } from './app';
import { BidIntake } from './bidIntake';
import { HighestBids } from './highestBid';
import { readWebSettings } from './settings';

/** How long a graceful stop may take before open connections are cut. */
const SHUTDOWN_GRACE_MS = 30_000;

/**
 * The web process: checks every setting, registers the bid schema (fails
 * fast if the registry is unreachable or refuses it), connects one
 * long-lived producer and one MySQL pool, then serves. SIGTERM/SIGINT stop
 * accepting, let in-flight bids get their delivery reports, flush the
 * producer and exit 0.
 */
runMain('web', async () => {
  const env = loadEnv();
  const log = createLogger('web');
  const settings = readWebSettings(env);
  const kafka = readKafkaSettings(env);
  const registry = readRegistrySettings(env);
  const mysqlSettings = readMysqlSettings(env, 10);

  const codec = BidCodec.fromSettings(registry);
  const schemaId = await codec.register();
  const pool = createMysqlPool(mysqlSettings);
  try {
    await pingMysql(pool, mysqlSettings);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const producer = new DeliveringProducer(
    kafka,
    'auction-web',
    { lingerMs: settings.kafkaLingerMs, messageTimeoutMs: settings.kafkaMessageTimeoutMs },
    log,
  );
  await producer.connect();

  const intake = new BidIntake(
    codec,
    producer,
    kafka.topic,
    { maxInFlight: settings.maxBidsInFlight, ackTimeoutMs: settings.bidAckTimeoutMs },
    log,
  );
  const app = createApp({
    settings,
    intake,
    highest: new HighestBids(pool, log),
    probes: {
      kafka: () => producer.ping(2_000),
      registry: () => codec.ping(),
      mysql: async () => {
        await pool.query('SELECT 1');
      },
    },
    log,
  });

  const server = app.listen(settings.port, settings.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on ${settings.host}:${settings.port}: ${error.code ?? error.message}`)),
    );
  });
  const { port } = server.address() as AddressInfo;
  log.info({ url: `http://${settings.host}:${port}/`, topic: kafka.topic, schemaId }, 'web app listening');

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, bidsInFlight: intake.bidsInFlight }, 'stopping: no new requests; finishing bids in flight');
    const forced = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    forced.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await intake.drain();
    // Connections kept alive after their last answer would hold close() open.
    server.closeIdleConnections();
    await closed;
    await producer.close();
    await pool.end();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
});
