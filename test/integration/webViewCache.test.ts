import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

/**
 * A copy of what the built web app reads at run time (dist/, views/, the
 * migrations, its static files; node_modules linked), so a test can change a
 * template under a running app without touching the project's own.
 */
function copyOfBuiltWebApp(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'auction-web-'));
  fs.copyFileSync(fromRoot('package.json'), path.join(root, 'package.json'));
  for (const folder of ['dist', 'views', 'sql', path.join('web', 'public')]) {
    fs.cpSync(fromRoot(folder), path.join(root, folder), { recursive: true });
  }
  fs.symlinkSync(fs.realpathSync(fromRoot('node_modules')), path.join(root, 'node_modules'), 'dir');
  return root;
}

describe('the page templates outside production', { timeout: 120_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let root: string;
  let web: WebAppUnderTest;
  before(async () => {
    topic = await createTestTopic('views', 1);
    database = await createTestDatabase('views');
    root = copyOfBuiltWebApp();
    web = await startWebApp({ KAFKA_TOPIC: topic, MYSQL_URL: database.url, NODE_ENV: 'development' }, root);
  });
  after(async () => {
    await web?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('are compiled once per process (view cache on whatever NODE_ENV says): a template changed on disk is not read again', async () => {
    const first = await (await fetch(`${web.baseUrl}/`)).text();
    assert.match(first, /<title>Auction bids<\/title>/);
    const index = path.join(root, 'views', 'index.ejs');
    fs.writeFileSync(
      index,
      fs.readFileSync(index, 'utf8').replace('<title>Auction bids</title>', '<title>Edited</title>'),
    );
    const second = await (await fetch(`${web.baseUrl}/`)).text();
    assert.match(second, /<title>Auction bids<\/title>/, 'rendered from the template compiled for the first request');
  });
});
