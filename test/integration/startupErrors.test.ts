import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';

/** Runs a built entry point with extra environment and returns its exit code and stderr lines. */
function runEntryPoint(script: string, env: Record<string, string>): { status: number | null; errorLines: string[] } {
  const result = spawnSync(process.execPath, [fromRoot('dist', script)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, errorLines: result.stderr.split('\n').filter((line) => line.trim() !== '') };
}

describe('a bad setting stops a process with one specific line', () => {
  const processes = ['web/main.js', 'workers/mysql/main.js', 'workers/csv/main.js', 'workers/hive/main.js'];
  for (const script of processes) {
    it(`${script} refuses an empty KAFKA_BOOTSTRAP_SERVERS`, () => {
      const { status, errorLines } = runEntryPoint(script, { KAFKA_BOOTSTRAP_SERVERS: '' });
      assert.equal(status, 1);
      assert.equal(errorLines.length, 1, errorLines.join('\n'));
      assert.match(errorLines[0]!, /KAFKA_BOOTSTRAP_SERVERS is set but empty/);
    });
  }

  it('migrate names the unreachable MySQL server, without a stack trace', () => {
    const { status, errorLines } = runEntryPoint('scripts/migrate.js', {
      MYSQL_URL: 'mysql://root:hunter2@127.0.0.1:1/test',
    });
    assert.equal(status, 1);
    assert.equal(errorLines.length, 1, errorLines.join('\n'));
    assert.match(errorLines[0]!, /cannot reach MySQL at mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/test/);
    assert.doesNotMatch(errorLines[0]!, /hunter2/, 'the password never appears');
  });

  it('the web app names an unreachable registry and a MySQL that refuses it, each in one line', () => {
    const registry = runEntryPoint('web/main.js', { SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7' });
    assert.equal(registry.status, 1);
    assert.deepEqual(registry.errorLines.length, 1, registry.errorLines.join('\n'));
    assert.match(
      registry.errorLines[0]!,
      /^web: cannot reach the schema registry at http:\/\/127\.0\.0\.1:1\/apis\/ccompat\/v7/,
    );
    // An unreachable MySQL only degrades the highest-bid read (see webReadiness.test.ts); a refusal is a setting to fix.
    const mysql = runEntryPoint('web/main.js', { MYSQL_URL: 'mysql://root:hunter2@127.0.0.1:3306/test', PORT: '0' });
    assert.equal(mysql.status, 1);
    assert.equal(mysql.errorLines.length, 1, mysql.errorLines.join('\n'));
    assert.match(
      mysql.errorLines[0]!,
      /^web: configuration error: MYSQL_URL is refused by the server at mysql:\/\/root:\*\*\*@127\.0\.0\.1:3306\/test: Access denied/,
    );
    assert.doesNotMatch(mysql.errorLines[0]!, /hunter2/);
    // With its own account set, that is the setting named.
    const webAccount = runEntryPoint('web/main.js', {
      WEB_MYSQL_URL: 'mysql://auction_web:hunter2@127.0.0.1:3306/test',
      PORT: '0',
    });
    assert.equal(webAccount.status, 1);
    assert.match(
      webAccount.errorLines.join('\n'),
      /^web: configuration error: WEB_MYSQL_URL is refused by the server at mysql:\/\/auction_web:\*\*\*@127\.0\.0\.1:3306\/test/,
    );
    assert.doesNotMatch(webAccount.errorLines.join('\n'), /hunter2/);
  });

  it('register-schema names the unreachable registry', () => {
    const { status, errorLines } = runEntryPoint('scripts/registerSchema.js', {
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7',
    });
    assert.equal(status, 1);
    assert.equal(errorLines.length, 1, errorLines.join('\n'));
    assert.match(errorLines[0]!, /^register-schema: cannot reach the schema registry at http:\/\/127\.0\.0\.1:1\//);
  });

  for (const worker of ['mysql', 'csv', 'hive']) {
    it(`the ${worker} worker refuses a KAFKA_TOPIC the cluster does not have, naming it`, () => {
      const { status, errorLines } = runEntryPoint(`workers/${worker}/main.js`, {
        KAFKA_TOPIC: 'no-such-topic-for-bids',
        CSV_PATH: `/tmp/startup-${process.pid}/bids.csv`,
        SINK_CONSUMER_GROUP: `startup-${process.pid}`,
      });
      assert.equal(status, 1);
      assert.equal(errorLines.length, 1, errorLines.join('\n'));
      assert.match(errorLines[0]!, /configuration error: KAFKA_TOPIC names the topic "no-such-topic-for-bids"/);
    });
  }
});
