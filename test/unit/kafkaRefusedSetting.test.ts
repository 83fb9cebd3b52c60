import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusedSettingOf } from '../../lib/kafka/refusedSetting';
import { readKafkaSettings, type KafkaSettings } from '../../lib/kafka/settings';

/** librdkafka's FAIL log line for a failure on the bootstrap broker, as node-rdkafka passes it on. */
function failLine(reason: string, state = 'AUTH_REQ'): string {
  const broker = 'sasl_ssl://broker.example.net:9094/bootstrap';
  return `[thrd:${broker}]: ${broker}: ${reason} (after 4ms in state ${state}, 1 identical error(s) suppressed)`;
}

const cloud: KafkaSettings = readKafkaSettings({
  KAFKA_BOOTSTRAP_SERVERS: 'broker.example.net:9094',
  KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
  KAFKA_SASL_USERNAME: 'APIKEY42',
  KAFKA_SASL_PASSWORD: 'hunter2-secret',
});

describe('a Kafka connection failure that names a setting', () => {
  it('blames the password when the broker refuses the credentials, without printing either', () => {
    const refusal = refusedSettingOf(
      failLine('SASL authentication error: Authentication failed: Invalid username or password'),
      cloud,
    );
    assert.equal(refusal?.variable, 'KAFKA_SASL_PASSWORD');
    assert.equal(
      refusal?.message,
      'KAFKA_SASL_PASSWORD is refused by the Kafka cluster at broker.example.net:9094 (Authentication failed: ' +
        'Invalid username or password): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    );
  });

  it('masks the user name and password should a broker echo them', () => {
    const refusal = refusedSettingOf(
      failLine('SASL authentication error: Authentication failed for APIKEY42 with hunter2-secret'),
      cloud,
    );
    assert.match(refusal?.message ?? '', /failed for \*\*\* with \*\*\*/);
    assert.doesNotMatch(refusal?.message ?? '', /APIKEY42|hunter2/);
  });

  it('blames the mechanism when the broker does not offer it, listing what it offers', () => {
    const refusal = refusedSettingOf(
      failLine(
        "SASL SCRAM-SHA-256 mechanism handshake failed: Broker: Unsupported SASL mechanism: broker's supported mechanisms: PLAIN",
        'AUTH_HANDSHAKE',
      ),
      cloud,
    );
    assert.equal(refusal?.variable, 'KAFKA_SASL_MECHANISM');
    assert.match(
      refusal?.message ?? '',
      /is SCRAM-SHA-256, which the Kafka cluster at .* does not offer \(it offers PLAIN\)$/,
    );
  });

  it('blames the CA setting when the broker certificate cannot be verified, saying whether it was set', () => {
    const line = failLine(
      'SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not ' +
        'be verified, verify that ssl.ca.location is correctly configured or root CA certificates are installed ' +
        '(install ca-certificates package)',
      'SSL_HANDSHAKE',
    );
    const unset = refusedSettingOf(line, cloud);
    assert.equal(unset?.variable, 'KAFKA_SSL_CA_LOCATION');
    assert.match(
      unset?.message ?? '',
      /^KAFKA_SSL_CA_LOCATION is unset, and the system CA certificates do not vouch for the certificate of the Kafka cluster at broker\.example\.net:9094 \(error:0A000086:SSL routines::certificate verify failed\): set it/,
    );
    const set = refusedSettingOf(line, { ...cloud, sslCaLocation: '/etc/kafka/other-ca.pem' });
    assert.match(set?.message ?? '', /^KAFKA_SSL_CA_LOCATION \(\/etc\/kafka\/other-ca\.pem\) does not vouch for/);
    // OpenSSL's own line, which librdkafka logs just before its own.
    const bare = refusedSettingOf(
      failLine('error:0A000086:SSL routines::certificate verify failed', 'SSL_HANDSHAKE'),
      cloud,
    );
    assert.equal(bare?.variable, 'KAFKA_SSL_CA_LOCATION');
  });

  it('names nothing for failures that waiting may cure', () => {
    for (const reason of [
      'Connect to ipv4#127.0.0.1:9094 failed: Connection refused',
      'Disconnected while requesting ApiVersion: might be caused by incorrect security.protocol configuration',
      "Failed to resolve 'broker.example.net:9094': Name or service not known",
    ]) {
      assert.equal(refusedSettingOf(failLine(reason, 'CONNECT'), cloud), undefined, reason);
    }
  });
});
