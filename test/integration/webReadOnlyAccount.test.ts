import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { BuiltProgram, SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { waitFor } from '../support/service';
import { postBidJson, startWebApp } from '../support/webApp';

/** Runs `npm run migrate`'s program with extra settings; resolves with its exit code and stderr. */
async function runMigrate(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const program = new BuiltProgram('scripts/migrate.js', env);
  const { code } = await program.exit(60_000);
  return { code, stderr: program.stderr.join('') };
}

/** The MySQL error number `sql` fails with for the user `url` names, or undefined when it succeeds. */
async function errnoOf(url: string, sql: string): Promise<number | undefined> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    await connection.query(sql);
    return undefined;
  } catch (error) {
    return (error as { errno?: number }).errno;
  } finally {
    await connection.end();
  }
}

describe("the web app's read-only MySQL account", { timeout: 240_000 }, () => {
  let database: TestDatabase;
  let topic: string;
  /** Accounts this file made, dropped at the end (accounts are server-wide, not per database). */
  const accounts: string[] = [];

  /** A fresh account name and a WEB_MYSQL_URL for it on the test database. */
  function webAccount(): { user: string; password: string; url: string } {
    const user = `web_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const password = randomBytes(12).toString('hex');
    accounts.push(user);
    const url = new URL(database.url);
    url.username = user;
    url.password = password;
    return { user, password, url: url.toString() };
  }

  before(async () => {
    database = await createTestDatabase('webaccount');
    topic = await createTestTopic('webaccount');
  });
  after(async () => {
    for (const user of accounts) await database.pool.query("DROP USER IF EXISTS ?@'%'", [user]);
    await database.drop();
    await deleteTestTopic(topic);
  });

  it('is created by `npm run migrate` from WEB_MYSQL_URL and may read bids and the dashboard’s statistics but not insert, update, delete or drop (error 1142)', async () => {
    const web = webAccount();
    const migrated = await runMigrate({ MYSQL_URL: database.url, WEB_MYSQL_URL: web.url });
    assert.equal(migrated.code, 0, migrated.stderr);

    assert.equal(await errnoOf(web.url, 'SELECT COUNT(*) FROM bids'), undefined, 'the web account reads bids');
    for (const table of ['bid_windows', 'bid_window_bidders']) {
      assert.equal(await errnoOf(web.url, `SELECT COUNT(*) FROM ${table}`), undefined, `the dashboard reads ${table}`);
      assert.equal(await errnoOf(web.url, `DELETE FROM ${table}`), 1142, `it may not change ${table}`);
    }
    const refused = {
      insert: await errnoOf(
        web.url,
        "INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES ('x', 'i', 'n', 1, NOW(3), 0, 0)",
      ),
      update: await errnoOf(web.url, 'UPDATE bids SET price = 1'),
      delete: await errnoOf(web.url, 'DELETE FROM bids'),
      drop: await errnoOf(web.url, 'DROP TABLE bids'),
      offsets: await errnoOf(
        web.url,
        "INSERT INTO sink_offsets (consumer_group, topic, kafka_partition, next_offset) VALUES ('g', 't', 0, 0)",
      ),
    };
    assert.deepEqual(refused, { insert: 1142, update: 1142, delete: 1142, drop: 1142, offsets: 1142 });

    // Safe to re-run, as every migrate is: the account stays as it was.
    const again = await runMigrate({ MYSQL_URL: database.url, WEB_MYSQL_URL: web.url });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await errnoOf(web.url, 'SELECT COUNT(*) FROM bids'), undefined);
    assert.equal(await errnoOf(web.url, 'DELETE FROM bids'), 1142);
  });

  it('serves the page and the API end to end: a bid placed through the web app, stored by the MySQL sink, is read back through WEB_MYSQL_URL', async () => {
    const account = webAccount();
    const migrated = await runMigrate({ MYSQL_URL: database.url, WEB_MYSQL_URL: account.url });
    assert.equal(migrated.code, 0, migrated.stderr);

    // MYSQL_URL with a wrong password: were the web app to use it instead of
    // WEB_MYSQL_URL, it would stop at start-up with "MYSQL_URL is refused".
    const unusable = new URL(database.url);
    unusable.password = 'not-the-password';
    const web = await startWebApp({ KAFKA_TOPIC: topic, MYSQL_URL: unusable.toString(), WEB_MYSQL_URL: account.url });
    const sink = new SinkWorkerProcess('mysql', {
      KAFKA_TOPIC: topic,
      MYSQL_URL: database.url,
      SINK_CONSUMER_GROUP: `webaccount-${randomUUID().slice(0, 8)}`,
    });
    try {
      const placed = await postBidJson(
        web.baseUrl,
        JSON.stringify({ item: 'Walnut writing desk', name: 'Grace', price: 2100 }),
      );
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const highest = await waitFor('the bid as the highest, read by the web app', async () => {
        const response = await fetch(`${web.baseUrl}/api/items/${encodeURIComponent('Walnut writing desk')}/highest`);
        return response.ok ? ((await response.json()) as { bid_id: string; price: number }) : undefined;
      });
      assert.equal(highest.bid_id, placed.body.bid_id);
      assert.equal(highest.price, 2100);

      const recent = await fetch(`${web.baseUrl}/api/items/${encodeURIComponent('Walnut writing desk')}/bids`);
      assert.equal(recent.status, 200);
      const lots = await fetch(`${web.baseUrl}/api/lots`);
      assert.equal(lots.status, 200);
      const page = await fetch(`${web.baseUrl}/?item=${encodeURIComponent('Walnut writing desk')}`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Grace/);
      const ready = (await (await fetch(`${web.baseUrl}/readyz`)).json()) as { degraded: string[] };
      assert.deepEqual(ready.degraded, [], 'MySQL answers the web account');
    } finally {
      await sink.stop();
      await web.stop();
    }
  });

  it('is refused by migrate, changing nothing, when WEB_MYSQL_URL names an existing user that may do more than read', async () => {
    const account = webAccount();
    await database.pool.query("CREATE USER ?@'%' IDENTIFIED BY ?", [account.user, account.password]);
    await database.pool.query("GRANT SELECT, INSERT ON ??.bids TO ?@'%'", [
      new URL(database.url).pathname.slice(1),
      account.user,
    ]);
    const renamed = new URL(account.url);
    renamed.password = 'another-password-entirely';

    const migrated = await runMigrate({ MYSQL_URL: database.url, WEB_MYSQL_URL: renamed.toString() });
    assert.equal(migrated.code, 1);
    assert.match(migrated.stderr, /^migrate: configuration error: WEB_MYSQL_URL names .*INSERT/);
    assert.equal(migrated.stderr.trim().split('\n').length, 1, migrated.stderr);
    assert.doesNotMatch(migrated.stderr, /another-password-entirely/, 'the password is never printed');
    assert.equal(await errnoOf(account.url, 'SELECT COUNT(*) FROM bids'), undefined, 'its password was not changed');
  });

  it('is refused by migrate, naming MYSQL_URL, when the user migrating may not create accounts', async () => {
    const owner = webAccount();
    await database.pool.query("CREATE USER ?@'%' IDENTIFIED BY ?", [owner.user, owner.password]);
    await database.pool.query("GRANT ALL PRIVILEGES ON ??.* TO ?@'%'", [
      new URL(database.url).pathname.slice(1),
      owner.user,
    ]);
    const web = webAccount();

    const migrated = await runMigrate({ MYSQL_URL: owner.url, WEB_MYSQL_URL: web.url });
    assert.equal(migrated.code, 1);
    assert.match(
      migrated.stderr,
      /^migrate: configuration error: MYSQL_URL cannot set up the web app's account "web_\w+" \(.*CREATE USER/,
    );
    assert.doesNotMatch(migrated.stderr, new RegExp(web.password), 'the password is never printed');
  });

  it('is refused by migrate when WEB_MYSQL_URL names the user MYSQL_URL migrates with', async () => {
    const migrated = await runMigrate({ MYSQL_URL: database.url, WEB_MYSQL_URL: database.url });
    assert.equal(migrated.code, 1);
    assert.match(migrated.stderr, /^migrate: configuration error: WEB_MYSQL_URL names the user MYSQL_URL/);
  });
});
