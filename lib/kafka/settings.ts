import fs from 'node:fs';
import path from 'node:path';
import { choiceSetting, ConfigError, optionalSetting, stringSetting, type Env } from '../env';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** How to reach the Kafka cluster, and which topics carry bids. */
export interface KafkaSettings {
  bootstrapServers: string;
  securityProtocol: SecurityProtocol;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  /**
   * The CA certificates (PEM file, or a folder of them) the broker's TLS
   * certificate is checked against; unset: the system's CA certificates.
   * Only with SSL and SASL_SSL.
   */
  sslCaLocation?: string;
  /** The topic bids are produced to (`auction`). */
  topic: string;
  /** Where records no sink can read are parked (`auction.dlq`). */
  deadLetterTopic: string;
}

const HOST_PORT = /^[A-Za-z0-9._-]+:(\d{1,5})$|^\[[0-9A-Fa-f:]+\]:(\d{1,5})$/;

/**
 * Reads `KAFKA_*` settings. Confluent Cloud is `KAFKA_SECURITY_PROTOCOL=SASL_SSL`,
 * `KAFKA_SASL_MECHANISM=PLAIN` and the API key and secret as username and password;
 * a cluster whose certificates a private CA signed (the local stack's SASL_SSL
 * listener) also needs `KAFKA_SSL_CA_LOCATION`.
 */
export function readKafkaSettings(env: Env): KafkaSettings {
  const bootstrapServers = stringSetting(env, 'KAFKA_BOOTSTRAP_SERVERS', '127.0.0.1:9092');
  for (const server of bootstrapServers.split(',').map((s) => s.trim())) {
    const match = HOST_PORT.exec(server);
    const port = Number(match?.[1] ?? match?.[2]);
    if (!match || port < 1 || port > 65535) {
      throw new ConfigError(
        'KAFKA_BOOTSTRAP_SERVERS',
        `must be a comma-separated list of host:port, got "${server}" in "${bootstrapServers}"`,
      );
    }
  }
  const securityProtocol = choiceSetting(env, 'KAFKA_SECURITY_PROTOCOL', SECURITY_PROTOCOLS, 'PLAINTEXT');
  const settings: KafkaSettings = {
    bootstrapServers,
    securityProtocol,
    topic: stringSetting(env, 'KAFKA_TOPIC', 'auction'),
    deadLetterTopic: stringSetting(env, 'KAFKA_DLQ_TOPIC', 'auction.dlq'),
  };
  if (securityProtocol.startsWith('SASL_')) {
    const mechanism = choiceSetting(env, 'KAFKA_SASL_MECHANISM', SASL_MECHANISMS, 'PLAIN');
    const username = optionalSetting(env, 'KAFKA_SASL_USERNAME');
    const password = optionalSetting(env, 'KAFKA_SASL_PASSWORD');
    if (username === undefined)
      throw new ConfigError('KAFKA_SASL_USERNAME', `is required when KAFKA_SECURITY_PROTOCOL is ${securityProtocol}`);
    if (password === undefined)
      throw new ConfigError('KAFKA_SASL_PASSWORD', `is required when KAFKA_SECURITY_PROTOCOL is ${securityProtocol}`);
    settings.sasl = { mechanism, username, password };
  }
  if (securityProtocol === 'SSL' || securityProtocol === 'SASL_SSL') {
    const caLocation = optionalSetting(env, 'KAFKA_SSL_CA_LOCATION');
    if (caLocation !== undefined) settings.sslCaLocation = checkedCaLocation(caLocation);
  }
  return settings;
}

/** An absolute path to a folder, or to a file holding at least one PEM certificate. */
function checkedCaLocation(configured: string): string {
  const location = path.resolve(configured);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(location);
  } catch {
    throw new ConfigError('KAFKA_SSL_CA_LOCATION', `names nothing: ${location} does not exist`);
  }
  if (stat.isDirectory()) return location;
  let text: string;
  try {
    text = fs.readFileSync(location, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'KAFKA_SSL_CA_LOCATION',
      `cannot be read: ${(error as NodeJS.ErrnoException).code ?? location}`,
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(
      'KAFKA_SSL_CA_LOCATION',
      `must name a PEM file of CA certificates (-----BEGIN CERTIFICATE-----), but ${location} holds none`,
    );
  }
  return location;
}

/**
 * The librdkafka properties every client shares: where the cluster is and
 * how to authenticate. Producers and consumers add their own on top.
 */
export function connectionProperties(settings: KafkaSettings, clientId: string): Record<string, string> {
  const properties: Record<string, string> = {
    'bootstrap.servers': settings.bootstrapServers,
    'security.protocol': settings.securityProtocol.toLowerCase(),
    'client.id': clientId,
  };
  if (settings.sasl) {
    properties['sasl.mechanisms'] = settings.sasl.mechanism;
    properties['sasl.username'] = settings.sasl.username;
    properties['sasl.password'] = settings.sasl.password;
  }
  if (settings.sslCaLocation !== undefined) properties['ssl.ca.location'] = settings.sslCaLocation;
  return properties;
}
