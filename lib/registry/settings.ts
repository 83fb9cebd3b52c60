import { ConfigError, optionalSetting, stringSetting, urlSetting, type Env } from '../env';

/** How to reach the Confluent-compatible Schema Registry. */
export interface RegistrySettings {
  /** Base URL of the Confluent API, e.g. Apicurio's `http://127.0.0.1:8081/apis/ccompat/v7`. */
  url: string;
  basicAuth?: { username: string; password: string };
  /** The subject bids are registered under (`auction-value`: TopicNameStrategy for `auction`). */
  subject: string;
}

export function readRegistrySettings(env: Env): RegistrySettings {
  const url = urlSetting(env, 'SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7', ['http:', 'https:']);
  if (url.username || url.password) {
    throw new ConfigError(
      'SCHEMA_REGISTRY_URL',
      'must not contain credentials; put them in SCHEMA_REGISTRY_BASIC_AUTH as user:password',
    );
  }
  const settings: RegistrySettings = {
    url: url.toString().replace(/\/+$/, ''),
    subject: stringSetting(env, 'SCHEMA_REGISTRY_SUBJECT', 'auction-value'),
  };
  const basicAuth = optionalSetting(env, 'SCHEMA_REGISTRY_BASIC_AUTH');
  if (basicAuth !== undefined) {
    const colon = basicAuth.indexOf(':');
    if (colon <= 0)
      throw new ConfigError(
        'SCHEMA_REGISTRY_BASIC_AUTH',
        'must be user:password (for Confluent Cloud, API key:secret)',
      );
    settings.basicAuth = { username: basicAuth.slice(0, colon), password: basicAuth.slice(colon + 1) };
  }
  return settings;
}
