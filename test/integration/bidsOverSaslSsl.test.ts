import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { loadEnv, type Env } from '../../lib/env';
import { BuiltProgram, SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { saslSslListenerSettings } from '../support/saslSslListener';
import { waitFor } from '../support/service';
import { postBidJson, startWebApp, type WebAppUnderTest } from '../support/webApp';

/**
 * The Confluent Cloud path (SASL_SSL with PLAIN, the broker's certificate
 * checked against a CA), run for real against the local broker's SASL_SSL
 * listener: the web app and the MySQL worker reach Kafka only through it,
 * and a setting the listener refuses stops each of them with one line.
 */

/** How a program that cannot start ended: its exit code and its stderr, line by line. */
async function failedStart(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; lines: string[] }> {
  const program = new BuiltProgram(script, env);
  try {
    const { code } = await program.exit(60_000);
    return {
      code,
      lines: program.stderr
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    };
  } finally {
    await program.dispose();
  }
}

describe('bids travel over SASL_SSL, the Confluent Cloud path', { timeout: 300_000 }, () => {
  let listener: Record<string, string> = {};
  /** The environment with the listener's settings on top, for creating and deleting the test topics through it. */
  let adminEnv: Env = {};
  const runId = randomUUID().slice(0, 8);
  let topic = '';
  let deadLetterTopic = '';
  let database: TestDatabase;
  let worker: SinkWorkerProcess | undefined;
  let web: WebAppUnderTest | undefined;
  /** The listener's settings and this test's own topics, database and group. */
  let settings: Record<string, string> = {};

  before(async () => {
    listener = await saslSslListenerSettings();
    adminEnv = { ...loadEnv(), ...listener };
    topic = await createTestTopic('sasl-ssl', 3, adminEnv);
    deadLetterTopic = await createTestTopic('sasl-ssl-dlq', 1, adminEnv);
    database = await createTestDatabase('sasl_ssl');
    settings = {
      ...listener,
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: deadLetterTopic,
      MYSQL_URL: database.url,
      SINK_CONSUMER_GROUP: `sasl-ssl-mysql-${runId}`,
    };
  });

  after(async () => {
    await Promise.all([web?.stop(), worker?.stop()]);
    await database?.drop();
    if (topic) await deleteTestTopic(topic, adminEnv);
    if (deadLetterTopic) await deleteTestTopic(deadLetterTopic, adminEnv);
  });

  it('the stack gives the listener as SASL_SSL with PLAIN, a user, a password and the CA file', () => {
    assert.equal(listener.KAFKA_SECURITY_PROTOCOL, 'SASL_SSL');
    assert.equal(listener.KAFKA_SASL_MECHANISM, 'PLAIN');
    assert.match(listener.KAFKA_BOOTSTRAP_SERVERS ?? '', /^127\.0\.0\.1:\d+$/);
    assert.ok(listener.KAFKA_SASL_USERNAME && listener.KAFKA_SASL_PASSWORD);
    assert.match(listener.KAFKA_SSL_CA_LOCATION ?? '', /ca\.pem$/);
  });

  it('a bid posted to the web app over SASL_SSL reaches MySQL through the worker over SASL_SSL', async () => {
    worker = new SinkWorkerProcess('mysql', settings);
    web = await startWebApp(settings);
    await worker.waitForLog((line) => line.msg === 'sink worker started', 60_000);

    const answer = await postBidJson(
      web.baseUrl,
      JSON.stringify({ item: 'Brass telescope', name: 'Ada', price: 4_200 }),
    );
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const accepted = answer.body as unknown as Bid & { kafka: { topic: string } };
    assert.equal(accepted.kafka.topic, topic);

    const stored = await waitFor(
      'the bid in MySQL',
      async () => (await readMysqlBids(database.pool)).find((bid) => bid.bid_id === accepted.bid_id),
      60_000,
    );
    assert.deepEqual(stored, {
      bid_id: accepted.bid_id,
      item: 'Brass telescope',
      name: 'Ada',
      price: 4_200,
      bid_ts: accepted.bid_ts,
    });
  });

  // Each program waits out its connect timeout before it exits (librdkafka's request in flight): run them side by side.
  describe(
    'a setting the listener refuses stops a program at start-up with one line naming it',
    { concurrency: true },
    () => {
      for (const [script, role] of [
        ['web/main.js', 'web'],
        ['workers/mysql/main.js', 'mysql-sink'],
      ] as const) {
        it(`${role} stops at a wrong password with one line naming KAFKA_SASL_PASSWORD, never the password`, async () => {
          const { code, lines } = await failedStart(script, {
            ...settings,
            KAFKA_SASL_PASSWORD: 'not-the-password',
            PORT: '0',
          });
          assert.equal(code, 1);
          assert.equal(lines.length, 1, lines.join('\n'));
          assert.match(
            lines[0]!,
            new RegExp(
              `^${role}: configuration error: KAFKA_SASL_PASSWORD is refused by the Kafka cluster at 127\\.0\\.0\\.1:\\d+ \\(.*Invalid username or password`,
            ),
          );
          assert.doesNotMatch(lines[0]!, /not-the-password/);
          assert.ok(
            !lines[0]!.includes(listener.KAFKA_SASL_USERNAME!),
            'the user name (an API key in the cloud) is not printed',
          );
        });
      }

      it('without the stack CA, the broker certificate is refused in one line naming KAFKA_SSL_CA_LOCATION', async () => {
        const { code, lines } = await failedStart('workers/mysql/main.js', { ...settings, KAFKA_SSL_CA_LOCATION: '' });
        assert.equal(code, 1);
        assert.equal(lines.length, 1, lines.join('\n'));
        assert.match(
          lines[0]!,
          /^mysql-sink: configuration error: KAFKA_SSL_CA_LOCATION is unset, and the system CA certificates do not vouch for the certificate of the Kafka cluster at .*certificate verify failed/,
        );
      });

      it('a SASL mechanism the listener does not offer is named in one line', async () => {
        const { code, lines } = await failedStart('web/main.js', {
          ...settings,
          KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
          PORT: '0',
        });
        assert.equal(code, 1);
        assert.equal(lines.length, 1, lines.join('\n'));
        assert.match(
          lines[0]!,
          /^web: configuration error: KAFKA_SASL_MECHANISM is SCRAM-SHA-256, which the Kafka cluster at .* does not offer \(it offers PLAIN\)/,
        );
      });
    },
  );
});
