import type { AddressInfo } from 'node:net';
import { loadEnv } from '../lib/env';
import { DeliveringProducer } from '../lib/kafka/deliveringProducer';
import { readKafkaSettings } from '../lib/kafka/settings';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { createMysqlPool, pingMysql } from '../lib/mysql/pool';
import { readWebMysqlSettings } from '../lib/mysql/settings';
import { isTransientMysqlError } from '../lib/mysql/transientMysqlError';
import { errorMessage } from '../lib/errorMessage';
import { BidCodec } from '../lib/registry/bidCodec';
import { readRegistrySettings } from '../lib/registry/settings';
import { ActiveLots } from './activeLots';
import { createApp } from './app';
import { BidIntake } from './bidIntake';
import { DashboardFeed, DASHBOARD_REFRESH_MS } from './dashboard/dashboardFeed';
import { DashboardSnapshots } from './dashboard/dashboardSnapshots';
import { HighestBids } from './highestBid';
import { createHttpServer } from './httpServer';
import { MysqlReader } from './mysqlReader';
import { ReadinessReport } from './readinessReport';
import { RecentBids } from './recentBids';
import { readWebSettings } from './settings';
import { startLiveFeed } from './live/startLiveFeed';
import { WebMetrics } from './webMetrics';

/** How long a graceful stop may take before open connections are cut. */
const SHUTDOWN_GRACE_MS = 30_000;
/** How long, after a fatal producer error and the bids in flight are answered, the app keeps answering "not ready" before it exits. */
const NOT_READY_NOTICE_MS = 5_000;

/**
 * The web process: checks every setting, registers the bid schema (fails
 * fast if the registry is unreachable or refuses it), connects one
 * long-lived producer and one MySQL pool (an unreachable MySQL only
 * degrades the highest-bid read), then serves. SIGTERM/SIGINT stop
 * accepting, let in-flight bids get their delivery reports, flush the
 * producer and exit 0; a fatal producer error does the same, then exits 1.
 */
runMain('web', async () => {
  const env = loadEnv();
  const log = createLogger('web');
  const settings = readWebSettings(env);
  const kafka = readKafkaSettings(env);
  const registry = readRegistrySettings(env);
  const mysqlSettings = readWebMysqlSettings(env, 10);

  const codec = BidCodec.fromSettings(registry);
  // A wrong registry URL or credentials is a setting to fix: say which before registering.
  await codec.checkRegistry();
  const schemaId = await codec.register(log);
  const pool = createMysqlPool(mysqlSettings, { queueLimit: settings.reads.mysqlQueueLimit });
  try {
    await pingMysql(pool, mysqlSettings);
  } catch (error) {
    // MySQL only serves the highest-bid read: while it is unreachable bids are
    // still taken (they wait in Kafka for the MySQL worker). A server that
    // answers but refuses us (password, database) is a setting to fix.
    if (!isTransientMysqlError((error as { cause?: unknown }).cause)) {
      await pool.end();
      throw error;
    }
    log.warn(
      { err: errorMessage(error) },
      'MySQL is not answering: the highest bid is unavailable until it does; bids are still taken',
    );
  }
  const producer = new DeliveringProducer(
    kafka,
    'auction-web',
    { lingerMs: settings.kafkaLingerMs, messageTimeoutMs: settings.kafkaMessageTimeoutMs },
    log,
  );
  await producer.connect();

  const metrics = new WebMetrics();
  const intake = new BidIntake(
    codec,
    producer,
    kafka.topic,
    { maxInFlight: settings.maxBidsInFlight, ackTimeoutMs: settings.bidAckTimeoutMs },
    metrics,
    log,
  );
  const live = await startLiveFeed(
    kafka,
    settings,
    codec,
    pool,
    { clients: metrics.sseClients, droppedClients: metrics.sseDroppedClients },
    log,
  );
  const reader = new MysqlReader(pool, settings.reads.mysqlQueryTimeoutMs, {
    queries: metrics.mysqlQueries,
    unavailable: metrics.mysqlReadsUnavailable,
  });
  const { cacheMs } = settings.reads;
  const dashboardSnapshots = new DashboardSnapshots(reader, DASHBOARD_REFRESH_MS, log);
  const dashboardFeed = new DashboardFeed(
    dashboardSnapshots,
    { clients: metrics.dashboardClients, droppedClients: metrics.sseDroppedClients },
    log,
  );
  const app = createApp({
    settings,
    intake,
    highest: new HighestBids(reader, cacheMs, log),
    live: live.feed,
    recentBids: new RecentBids(reader, cacheMs, log),
    activeLots: new ActiveLots(reader, cacheMs, log),
    dashboard: { snapshots: dashboardSnapshots, feed: dashboardFeed },
    readiness: new ReadinessReport(
      {
        required: {
          kafka: () => producer.ping(2_000),
          producer: async () => producer.checkUsable(),
          registry: () => codec.checkRegistered(),
        },
        optional: {
          mysql: async () => {
            await reader.query('readiness', 'SELECT 1');
          },
        },
      },
      log,
    ),
    metrics,
    log,
  });

  const server = createHttpServer(app, settings.http, metrics.httpConnectionsDropped).listen(
    settings.port,
    settings.host,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on ${settings.host}:${settings.port}: ${error.code ?? error.message}`)),
    );
  });
  const { port } = server.address() as AddressInfo;
  log.info({ url: `http://${settings.host}:${port}/`, topic: kafka.topic, schemaId }, 'web app listening');

  let stopping = false;
  /** Stops serving once every bid in flight has its answer; `failure` makes it an exit 1 with one line saying why. */
  const stop = async (signal: string, failure?: Error): Promise<void> => {
    if (stopping) return;
    stopping = true;
    if (failure) {
      log.fatal(
        { err: failure.message, bidsInFlight: intake.bidsInFlight },
        'stopping: the Kafka producer failed fatally; answering the bids in flight, then exiting for a supervisor to restart this process',
      );
    } else {
      log.info({ signal, bidsInFlight: intake.bidsInFlight }, 'stopping: no new requests; finishing bids in flight');
    }
    // After a fatal error, keep listening until the bids in flight are settled: meanwhile new bids are
    // refused at once and /readyz names the cause, which says more to a balancer or an operator than a
    // refused connection.
    if (failure) {
      await intake.drain();
      // Then stay up a little longer, refusing: a balancer's readiness probe
      // and a retrying client learn "not ready" from an answer, not from a
      // refused connection that looks like an ordinary restart.
      await new Promise((resolve) => setTimeout(resolve, NOT_READY_NOTICE_MS));
    }
    // Live streams never end by themselves: end them (browsers reconnect elsewhere) so the server can close.
    await live.stop();
    dashboardFeed.closeAll();
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
    if (failure) {
      process.stderr.write(`web: ${failure.message}; exited so that a supervisor restarts it with a new producer\n`);
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // After a fatal error librdkafka's producer instance is unusable; recovering
  // means a new instance, with a new producer id. We do not build one in this
  // process: the fatal idempotence errors (the broker's sequence state and
  // ours disagree, the cluster refuses our producer id) mean acknowledged
  // data or settings are wrong, which an operator must see, and a restart
  // gives the same fresh producer without two producers coexisting in one
  // process while the old one's bids settle. Until the exit, new bids are
  // refused at once (BidIntake) and /readyz names the cause (`producer`);
  // bids already in flight are answered from their delivery reports:
  // `not-placed` for those purged from the queue, `unknown` for those a
  // broker may have written.
  producer.onFatal((error) => void stop('fatal producer error', error));
});
