import { ConfigError } from '../env';
import { askRegistry, describeBody } from './registryRequest';
import type { RegistrySettings } from './settings';

/**
 * Checks at start-up that SCHEMA_REGISTRY_URL (and SCHEMA_REGISTRY_BASIC_AUTH)
 * reach a Confluent-compatible registry API, by asking `GET /config`, which
 * every such registry serves. Without it a URL with a wrong path would look
 * like a registry that holds no schemas, and every record would become a
 * dead letter as "unknown schema id".
 *
 * Throws `ConfigError` naming the setting to fix (404: SCHEMA_REGISTRY_URL;
 * 401/403: SCHEMA_REGISTRY_BASIC_AUTH), or `RegistryUnavailableError` when
 * the registry does not answer ("cannot reach the schema registry at …").
 */
export async function checkRegistry(settings: RegistrySettings): Promise<void> {
  const answer = await askRegistry(settings, '/config');
  if (answer.status !== 200) {
    throw new ConfigError(
      'SCHEMA_REGISTRY_URL',
      `does not point at a Confluent-compatible schema registry API: ${settings.url}/config answered ` +
        `HTTP ${answer.status}: ${describeBody(answer.body)}`,
    );
  }
}
