import { ConfigError } from '../env';
import type { KafkaSettings } from './settings';

/** What a librdkafka connection failure says, without its thread and broker prefixes and its timing suffix. */
function reasonOf(failure: string): string {
  return (
    failure
      // "[thrd:sasl_ssl://127.0.0.1:9094/bootstrap]: "
      .replace(/^\[thrd:[^\]]*\]:\s*/, '')
      // "sasl_ssl://127.0.0.1:9094/bootstrap: " (the broker the line is about)
      .replace(/^[a-z_]+:\/\/\S+?:\s/i, '')
      // " (after 3ms in state AUTH_REQ, 2 identical error(s) suppressed)"
      .replace(/\s*\(after \d+ms in state .*\)$/, '')
  );
}

/** A reason safe to print: the credentials never appear in it, whatever the broker echoed. */
function withoutSecrets(reason: string, settings: KafkaSettings): string {
  let safe = reason;
  for (const secret of [settings.sasl?.password, settings.sasl?.username]) {
    if (secret) safe = safe.split(secret).join('***');
  }
  return safe;
}

const MECHANISM_REFUSED = /SASL (\S+) mechanism handshake failed: .*: broker's supported mechanisms: (.*)$/;
const CREDENTIALS_REFUSED = /SASL authentication (?:error|failure): (.*)$/;
// OpenSSL's "error:0A000086:SSL routines::certificate verify failed", with or without librdkafka's prefix and hint.
const CERTIFICATE_REFUSED =
  /^(?:SSL handshake failed: )?(.*certificate verify failed)|^Failed to verify broker certificate: (.*)$/;

/**
 * The setting to blame when librdkafka reports that a broker answered but
 * refused the connection as configured: the SASL mechanism, the user name
 * and password, or the CA the broker's certificate is checked against.
 * Retrying cannot fix any of these, so a process that is starting stops
 * with one line naming the setting. `undefined` for every other failure (a
 * broker that is down, a timeout): those are worth waiting out.
 *
 * `failure` is the text of librdkafka's `FAIL` log line: node-rdkafka's
 * `event.error` carries only the generic "Local: Authentication failure",
 * without the broker's reason.
 */
export function refusedSettingOf(failure: string, settings: KafkaSettings): ConfigError | undefined {
  const reason = withoutSecrets(reasonOf(failure), settings);
  const cluster = `the Kafka cluster at ${settings.bootstrapServers}`;
  const mechanism = MECHANISM_REFUSED.exec(reason);
  if (mechanism) {
    return new ConfigError(
      'KAFKA_SASL_MECHANISM',
      `is ${mechanism[1]}, which ${cluster} does not offer (it offers ${mechanism[2]})`,
    );
  }
  const credentials = CREDENTIALS_REFUSED.exec(reason);
  if (credentials) {
    return new ConfigError(
      'KAFKA_SASL_PASSWORD',
      `is refused by ${cluster} (${credentials[1]}): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
    );
  }
  const certificate = CERTIFICATE_REFUSED.exec(reason);
  if (certificate) {
    const detail = certificate[1] ?? certificate[2];
    const trusted =
      settings.sslCaLocation === undefined
        ? 'is unset, and the system CA certificates do not vouch for'
        : `(${settings.sslCaLocation}) does not vouch for`;
    return new ConfigError(
      'KAFKA_SSL_CA_LOCATION',
      `${trusted} the certificate of ${cluster} (${detail}): set it to the PEM file of the CA that signed the broker's certificate`,
    );
  }
  return undefined;
}
