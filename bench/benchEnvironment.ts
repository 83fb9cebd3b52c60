import { BuiltProgram } from '../test/support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../test/support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../test/support/mysqlDatabase';
import { freePort, waitFor } from '../test/support/service';
import { startWebApp, type WebAppUnderTest } from '../test/support/webApp';
import type { Cleanup } from './cleanup';

/**
 * Settings for the web app under load: the per-client bid and read budgets
 * (120 bids and 600 other requests a minute by default, there to stop one
 * person flooding the page) would refuse almost every benchmark request and
 * live client, which all come from one address. The middleware still runs;
 * only its limit is out of reach.
 */
const WEB_BENCH_ENV = { BID_RATE_LIMIT_PER_MINUTE: '100000000', READ_RATE_LIMIT_PER_MINUTE: '100000000' };

/** A fresh topic, removed by `cleanup`. */
export async function benchTopic(prefix: string, partitions: number, cleanup: Cleanup): Promise<string> {
  const topic = await createTestTopic(prefix, partitions);
  cleanup.add(`topic ${topic}`, () => deleteTestTopic(topic));
  return topic;
}

/** A fresh, migrated MySQL database, dropped by `cleanup`. */
export async function benchDatabase(cleanup: Cleanup): Promise<TestDatabase> {
  const database = await createTestDatabase('bench_auction');
  cleanup.add(`database ${new URL(database.url).pathname.slice(1)}`, () => database.drop());
  return database;
}

/** The built web app on its own port, producing to `topic` and reading `mysqlUrl`; stopped by `cleanup`. */
export async function benchWebApp(topic: string, mysqlUrl: string, cleanup: Cleanup): Promise<WebAppUnderTest> {
  const web = await startWebApp({ ...WEB_BENCH_ENV, KAFKA_TOPIC: topic, MYSQL_URL: mysqlUrl });
  cleanup.add('the web app', async () => {
    if (!web.program.hasExited) await web.stop();
  });
  return web;
}

/** The bare Express + ajv endpoint (dist/bench/bareBidEndpoint.js) on its own port; stopped by `cleanup`. */
export async function bareEndpoint(cleanup: Cleanup): Promise<{ baseUrl: string; program: BuiltProgram }> {
  const port = await freePort();
  const program = new BuiltProgram('bench/bareBidEndpoint.js', { PORT: String(port) });
  cleanup.add('the bare endpoint', async () => {
    if (!program.hasExited) await program.stop();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor('the bare endpoint to listen', async () => {
    if (program.hasExited) throw new Error(`the bare endpoint exited: ${program.stderr.join('')}`);
    const response = await fetch(`${baseUrl}/api/bids`, { method: 'POST' });
    return response.status > 0 ? true : undefined;
  });
  return { baseUrl, program };
}
