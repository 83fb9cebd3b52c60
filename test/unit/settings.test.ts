import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../lib/env';
import { connectionProperties, readKafkaSettings } from '../../lib/kafka/settings';
import { readMysqlSettings, readWebMysqlSettings } from '../../lib/mysql/settings';
import { readRegistrySettings } from '../../lib/registry/settings';
import { readWebSettings } from '../../web/settings';

function configErrorOf(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('settings', () => {
  it('defaults to the local stack when nothing is set', () => {
    const kafka = readKafkaSettings({});
    assert.equal(kafka.bootstrapServers, '127.0.0.1:9092');
    assert.equal(kafka.topic, 'auction');
    assert.equal(kafka.deadLetterTopic, 'auction.dlq');
    assert.equal(readRegistrySettings({}).url, 'http://127.0.0.1:8081/apis/ccompat/v7');
    assert.equal(readRegistrySettings({}).subject, 'auction-value');
    assert.equal(readMysqlSettings({}).url, 'mysql://root@127.0.0.1:3306/test');
  });

  it('gives the web app WEB_MYSQL_URL to read MySQL with, and MYSQL_URL when it is not set', () => {
    assert.deepEqual(readWebMysqlSettings({}, 10), {
      url: 'mysql://root@127.0.0.1:3306/test',
      poolSize: 10,
      variable: 'MYSQL_URL',
    });
    const both = { MYSQL_URL: 'mysql://sink:s@db:3306/auction', WEB_MYSQL_URL: 'mysql://web:w@replica:3306/auction' };
    assert.deepEqual(readWebMysqlSettings(both, 10), {
      url: 'mysql://web:w@replica:3306/auction',
      poolSize: 10,
      variable: 'WEB_MYSQL_URL',
    });
    assert.equal(readWebMysqlSettings({ ...both, WEB_MYSQL_URL: '' }, 10).variable, 'MYSQL_URL', 'empty is unset');
    assert.equal(configErrorOf(() => readWebMysqlSettings({ WEB_MYSQL_URL: 'http://x/y' })).variable, 'WEB_MYSQL_URL');
  });

  it('refuses an empty KAFKA_BOOTSTRAP_SERVERS, naming the variable', () => {
    const error = configErrorOf(() => readKafkaSettings({ KAFKA_BOOTSTRAP_SERVERS: '' }));
    assert.equal(error.variable, 'KAFKA_BOOTSTRAP_SERVERS');
    assert.match(error.message, /^KAFKA_BOOTSTRAP_SERVERS is set but empty/);
  });

  it('refuses a bootstrap server without a port', () => {
    const error = configErrorOf(() => readKafkaSettings({ KAFKA_BOOTSTRAP_SERVERS: 'broker1:9092,broker2' }));
    assert.match(error.message, /host:port, got "broker2"/);
  });

  it('requires SASL credentials for SASL_SSL and never echoes the password', () => {
    const missing = configErrorOf(() =>
      readKafkaSettings({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'key' }),
    );
    assert.equal(missing.variable, 'KAFKA_SASL_PASSWORD');
    const settings = readKafkaSettings({
      KAFKA_BOOTSTRAP_SERVERS: 'pkc-1.example.net:9092',
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_USERNAME: 'key',
      KAFKA_SASL_PASSWORD: 's3cret',
    });
    assert.deepEqual(connectionProperties(settings, 'web'), {
      'bootstrap.servers': 'pkc-1.example.net:9092',
      'security.protocol': 'sasl_ssl',
      'client.id': 'web',
      'sasl.mechanisms': 'PLAIN',
      'sasl.username': 'key',
      'sasl.password': 's3cret',
    });
  });

  it('checks KAFKA_SSL_CA_LOCATION with a TLS protocol and passes it on as ssl.ca.location', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'kafka-ca-'));
    try {
      const ca = path.join(folder, 'ca.pem');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const tls = { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_LOCATION: ca };
      assert.equal(connectionProperties(readKafkaSettings(tls), 'web')['ssl.ca.location'], ca);
      const missing = configErrorOf(() =>
        readKafkaSettings({ ...tls, KAFKA_SSL_CA_LOCATION: path.join(folder, 'no.pem') }),
      );
      assert.equal(missing.variable, 'KAFKA_SSL_CA_LOCATION');
      assert.match(missing.message, /names nothing: .*no\.pem does not exist/);
      const notPem = path.join(folder, 'ca.der');
      writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
      const wrongFormat = configErrorOf(() => readKafkaSettings({ ...tls, KAFKA_SSL_CA_LOCATION: notPem }));
      assert.match(wrongFormat.message, /^KAFKA_SSL_CA_LOCATION must name a PEM file of CA certificates/);
      const plaintext = readKafkaSettings({ KAFKA_SSL_CA_LOCATION: path.join(folder, 'no.pem') });
      assert.equal(connectionProperties(plaintext, 'web')['ssl.ca.location'], undefined, 'no TLS, no CA');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses an unknown security protocol, listing the choices', () => {
    const error = configErrorOf(() => readKafkaSettings({ KAFKA_SECURITY_PROTOCOL: 'TLS' }));
    assert.match(error.message, /KAFKA_SECURITY_PROTOCOL must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/);
  });

  it('refuses a registry URL that is not http(s) or carries credentials', () => {
    assert.match(configErrorOf(() => readRegistrySettings({ SCHEMA_REGISTRY_URL: 'ftp://x' })).message, /http:\/\//);
    assert.equal(
      configErrorOf(() => readRegistrySettings({ SCHEMA_REGISTRY_URL: 'https://u:p@sr.example.net' })).variable,
      'SCHEMA_REGISTRY_URL',
    );
    assert.equal(
      configErrorOf(() => readRegistrySettings({ SCHEMA_REGISTRY_BASIC_AUTH: 'nocolon' })).variable,
      'SCHEMA_REGISTRY_BASIC_AUTH',
    );
  });

  it('refuses a MySQL URL of another scheme', () => {
    assert.equal(configErrorOf(() => readMysqlSettings({ MYSQL_URL: 'postgres://x/y' })).variable, 'MYSQL_URL');
  });

  it('reads the live stream settings with their defaults and refuses a value out of range, naming it', () => {
    const web = readWebSettings({});
    assert.deepEqual(
      [web.sseMaxClients, web.sseHeartbeatMs, web.sseHistoryEvents, web.sseClientBufferEvents],
      [2000, 15_000, 10_000, 1000],
    );
    assert.equal(configErrorOf(() => readWebSettings({ SSE_MAX_CLIENTS: '0' })).variable, 'SSE_MAX_CLIENTS');
    assert.equal(configErrorOf(() => readWebSettings({ SSE_HEARTBEAT_MS: '5s' })).variable, 'SSE_HEARTBEAT_MS');
    assert.equal(configErrorOf(() => readWebSettings({ SSE_HISTORY_EVENTS: '0' })).variable, 'SSE_HISTORY_EVENTS');
    assert.equal(
      configErrorOf(() => readWebSettings({ SSE_CLIENT_BUFFER_EVENTS: '-1' })).variable,
      'SSE_CLIENT_BUFFER_EVENTS',
    );
  });

  it('reads the read-path limits with their defaults and refuses a value out of range, naming it', () => {
    assert.deepEqual(readWebSettings({}).reads, {
      cacheMs: 100,
      rateLimitPerMinute: 600,
      mysqlQueueLimit: 100,
      mysqlQueryTimeoutMs: 2000,
    });
    assert.equal(readWebSettings({ READ_CACHE_MS: '0' }).reads.cacheMs, 0, '0 shares only reads in flight');
    for (const [variable, value] of [
      ['READ_CACHE_MS', '-1'],
      ['READ_RATE_LIMIT_PER_MINUTE', '0'],
      ['MYSQL_QUEUE_LIMIT', '0'],
      ['MYSQL_QUERY_TIMEOUT_MS', '2s'],
    ] as const) {
      assert.equal(configErrorOf(() => readWebSettings({ [variable]: value })).variable, variable);
    }
  });

  it('reads the HTTP server limits, leaving room beside the live streams, and refuses a cap that would not', () => {
    assert.deepEqual(readWebSettings({}).http, {
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 3000,
    });
    assert.equal(readWebSettings({ SSE_MAX_CLIENTS: '50' }).http.maxConnections, 1050, 'follows SSE_MAX_CLIENTS');
    const tooFew = configErrorOf(() => readWebSettings({ SSE_MAX_CLIENTS: '100', HTTP_MAX_CONNECTIONS: '100' }));
    assert.equal(tooFew.variable, 'HTTP_MAX_CONNECTIONS');
    assert.match(tooFew.message, /greater than SSE_MAX_CLIENTS \(100\)/);
    const shorter = configErrorOf(() =>
      readWebSettings({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }),
    );
    assert.equal(shorter.variable, 'HTTP_REQUEST_TIMEOUT_MS');
    assert.match(shorter.message, /at least HTTP_HEADERS_TIMEOUT_MS \(20000\)/);
    assert.equal(
      configErrorOf(() => readWebSettings({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' })).variable,
      'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    );
  });
});
