import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadEnv } from '../../lib/env';
import { readRegistrySettings } from '../../lib/registry/settings';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { postBidJson, startWebApp } from '../support/webApp';

interface Readiness {
  ready: boolean;
  degraded: string[];
  checks: Record<string, { ok: boolean; error?: string }>;
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
      assert.equal(body.checks.mysql?.ok, false);
      assert.match(body.checks.mysql?.error ?? '', /ECONNREFUSED|connect/i);
      for (const check of ['kafka', 'producer', 'registry']) assert.equal(body.checks[check]?.ok, true, check);
      assert.doesNotMatch(JSON.stringify(body), /hunter2/, 'no secret in the answer');

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
      assert.equal(body.checks.registry?.ok, false);
      assert.match(body.checks.registry?.error ?? '', new RegExp(`not registered under ${subject}`));
    } finally {
      await web.stop();
      await fetch(`${registry.url}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
    }
  });
});
