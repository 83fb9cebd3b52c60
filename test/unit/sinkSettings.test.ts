import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../lib/env';
import { readSinkRuntimeSettings } from '../../workers/runtime/settings';

const sink = { name: 'mysql', batching: { maxRecords: 2000, lingerMs: 100 } };

function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    readSinkRuntimeSettings(env, sink);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
}

describe('sink worker settings', () => {
  it("default to the sink's own batch shape, group <name>-sink, and no metrics endpoint (on 127.0.0.1 when it is on)", () => {
    assert.deepEqual(readSinkRuntimeSettings({}, sink), {
      consumerGroup: 'mysql-sink',
      batchMaxRecords: 2000,
      batchLingerMs: 100,
      backoffMinMs: 500,
      backoffMaxMs: 30_000,
      sessionTimeoutMs: 10_000,
      maxPollIntervalMs: 60_000,
      metricsPort: 0,
      metricsHost: '127.0.0.1',
    });
  });

  it('let the operator override every one of them', () => {
    const settings = readSinkRuntimeSettings(
      {
        SINK_CONSUMER_GROUP: 'mysql-sink-replay',
        SINK_BATCH_MAX_RECORDS: '10',
        SINK_BATCH_LINGER_MS: '0',
        SINK_BACKOFF_MIN_MS: '100',
        SINK_BACKOFF_MAX_MS: '200',
        METRICS_PORT: '9101',
        METRICS_HOST: '0.0.0.0',
        SINK_SESSION_TIMEOUT_MS: '6000',
        SINK_MAX_POLL_INTERVAL_MS: '20000',
      },
      sink,
    );
    assert.deepEqual(settings, {
      consumerGroup: 'mysql-sink-replay',
      batchMaxRecords: 10,
      batchLingerMs: 0,
      backoffMinMs: 100,
      backoffMaxMs: 200,
      sessionTimeoutMs: 6000,
      maxPollIntervalMs: 20_000,
      metricsPort: 9101,
      metricsHost: '0.0.0.0',
    });
  });

  it('refuse a poll interval shorter than the session timeout', () => {
    assert.match(
      configErrorFor({ SINK_SESSION_TIMEOUT_MS: '10000', SINK_MAX_POLL_INTERVAL_MS: '5000' }).message,
      /^SINK_MAX_POLL_INTERVAL_MS must be at least SINK_SESSION_TIMEOUT_MS/,
    );
  });

  it('name the variable and the problem when a value is wrong', () => {
    assert.match(configErrorFor({ SINK_BATCH_MAX_RECORDS: '0' }).message, /^SINK_BATCH_MAX_RECORDS must be between 1/);
    assert.match(
      configErrorFor({ SINK_BATCH_LINGER_MS: 'soon' }).message,
      /^SINK_BATCH_LINGER_MS must be a whole number/,
    );
    assert.match(configErrorFor({ METRICS_PORT: '70000' }).message, /^METRICS_PORT must be between 0 and 65535/);
    assert.match(configErrorFor({ SINK_CONSUMER_GROUP: ' ' }).message, /^SINK_CONSUMER_GROUP is set but empty/);
    assert.match(
      configErrorFor({ METRICS_HOST: 'http://0.0.0.0' }).message,
      /^METRICS_HOST must be a host name or IP address/,
    );
  });

  it('refuse a maximum backoff below the minimum', () => {
    const error = configErrorFor({ SINK_BACKOFF_MIN_MS: '5000', SINK_BACKOFF_MAX_MS: '1000' });
    assert.equal(error.variable, 'SINK_BACKOFF_MAX_MS');
  });
});
