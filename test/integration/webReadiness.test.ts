import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { loadEnv } from '../../lib/env';
import { readRegistrySettings } from '../../lib/registry/settings';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase } from '../support/mysqlDatabase';
import { waitFor } from '../support/service';
import { postBidJson, startWebApp } from '../support/webApp';

interface Readiness {
  ready: boolean;
  degraded: string[];
  checks: Record<string, string>;
}

async function readiness(baseUrl: string): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

describe('/readyz means "can take bids"', { timeout: 180_000 }, () => {
  let topic: string;
  before(async () => {
    topic = await createTestTopic('readyz', 1);
  });
  after(async () => {
    await deleteTestTopic(topic);
  });

  it('with MySQL unreachable the web app still starts and takes bids; /readyz is 200 with mysql listed as degraded', async () => {
    // A closed port instead of stopping the shared MariaDB.
    const web = await startWebApp({ KAFKA_TOPIC: topic, MYSQL_URL: 'mysql://root:hunter2@127.0.0.1:1/test' });
    try {
      const { status, body } = await readiness(web.baseUrl);
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.ready, true);
      assert.deepEqual(body.degraded, ['mysql']);
      assert.deepEqual(body.checks, { kafka: 'ready', producer: 'ready', registry: 'ready', mysql: 'not ready' });
      assert.doesNotMatch(JSON.stringify(body), /hunter2|127\.0\.0\.1|ECONNREFUSED/, 'no secret, host or driver error');
      const why = await web.program.waitForLog((line) => String(line.msg).startsWith('readiness: mysql is not ready'));
      assert.match(String(why.msg), /ECONNREFUSED 127\.0\.0\.1:1/, 'the cause is in the log');

      const placed = await postBidJson(web.baseUrl, JSON.stringify({ item: 'lamp', name: 'Ada', price: 7 }));
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      assert.equal((await fetch(`${web.baseUrl}/api/highest`)).status, 503, 'the highest-bid read needs MySQL');
      const warned = web.program.lines.find((line) => /MySQL/.test(String(line.msg)) && line.level === 'warn');
      assert.ok(warned, 'the start says MySQL is not answering');
      assert.doesNotMatch(JSON.stringify(web.program.lines), /hunter2/, 'no secret in the log');
    } finally {
      await web.stop();
    }
  });

  it('says not ready, naming the registry, once the bid schema is no longer registered under its subject', async () => {
    const subject = `readyz-${randomUUID().slice(0, 8)}-value`;
    const registry = readRegistrySettings(loadEnv());
    const web = await startWebApp({ KAFKA_TOPIC: topic, SCHEMA_REGISTRY_SUBJECT: subject });
    try {
      assert.equal((await readiness(web.baseUrl)).status, 200);
      const deleted = await fetch(`${registry.url}/subjects/${subject}`, { method: 'DELETE' });
      assert.ok(deleted.ok, `DELETE subject answered ${deleted.status}`);
      const { status, body } = await readiness(web.baseUrl);
      assert.equal(status, 503, JSON.stringify(body));
      assert.equal(body.ready, false);
      assert.equal(body.checks.registry, 'not ready');
      assert.doesNotMatch(JSON.stringify(body), new RegExp(subject));
      const why = await web.program.waitForLog((line) =>
        String(line.msg).startsWith('readiness: registry is not ready'),
      );
      assert.match(String(why.msg), new RegExp(`not registered under ${subject}`));
    } finally {
      await web.stop();
      await fetch(`${registry.url}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
    }
  });

  it('says only "not ready" for MySQL once it refuses the web app\'s user, and logs who was refused', async () => {
    const database = await createTestDatabase('readyz');
    const base = new URL(database.url);
    const user = `readyz_${randomUUID().slice(0, 8)}`;
    const admin = await mysql.createConnection({ uri: database.url });
    try {
      await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', 'first-password']);
      await admin.query(`GRANT SELECT ON \`${base.pathname.slice(1)}\`.* TO ?@?`, [user, '%']);
      const url = new URL(database.url);
      url.username = user;
      url.password = 'first-password';
      const web = await startWebApp({ KAFKA_TOPIC: topic, MYSQL_URL: url.toString() });
      try {
        assert.equal((await readiness(web.baseUrl)).body.checks.mysql, 'ready');
        // The password changes under the running app (a rotated secret): its connections are cut, new ones refused.
        await admin.query('ALTER USER ?@? IDENTIFIED BY ?', [user, '%', 'second-password']);
        const [sessions] = await admin.query<mysql.RowDataPacket[]>(
          'SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?',
          [user],
        );
        for (const session of sessions) await admin.query('KILL CONNECTION ?', [Number(session.ID)]);

        const why = await waitFor(
          'the refusal to be logged',
          async () => {
            const { status, body } = await readiness(web.baseUrl);
            assert.equal(status, 200, 'bids are still taken');
            assert.doesNotMatch(JSON.stringify(body), new RegExp(`${user}|127\\.0\\.0\\.1|localhost|denied|password`));
            return web.program.lines.find((line) => /Access denied/.test(String(line.msg)));
          },
          30_000,
        );
        assert.equal((await readiness(web.baseUrl)).body.checks.mysql, 'not ready');
        assert.match(String(why.msg), /^readiness: mysql is not ready .*Access denied for user/);
        assert.match(String(why.msg), new RegExp(user), 'the log names the user refused');
        assert.doesNotMatch(
          JSON.stringify(web.program.lines),
          /second-password|first-password/,
          'no secret in the log',
        );
      } finally {
        await web.stop();
      }
    } finally {
      await admin.query('DROP USER IF EXISTS ?@?', [user, '%']);
      await admin.end();
      await database.drop();
    }
  });
});
