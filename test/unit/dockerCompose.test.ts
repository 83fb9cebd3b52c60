import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';

describe('docker-compose.yml', () => {
  it('parses, and defines the broker, registry, MySQL, web app and every sink', () => {
    // `config` validates the file without a Docker engine.
    const result = spawnSync(
      'docker-compose',
      ['-f', fromRoot('docker-compose.yml'), '--profile', 'hive', 'config', '--services'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(result.error, undefined, 'docker-compose is installed by npm run setup');
    assert.equal(result.status, 0, result.stderr);
    const services = result.stdout.trim().split('\n').sort();
    for (const service of ['kafka', 'schema-registry', 'mysql', 'web', 'mysql-sink', 'csv-sink', 'hive-sink']) {
      assert.ok(services.includes(service), `${service} in ${services.join(', ')}`);
    }
  });
});
