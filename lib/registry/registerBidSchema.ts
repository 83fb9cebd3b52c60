import { ConfigError } from '../env';
import type { Logger } from '../logger';
import { BID_COMPATIBILITY_LEVEL, readCompatibilityLevel, setCompatibilityLevel } from './compatibilityLevel';
import { refusalReason } from './refusalReason';
import { askRegistry, describeBody } from './registryRequest';
import { RegistryUnavailableError } from './registryUnavailableError';
import type { RegistrySettings } from './settings';
import { isClosedToNewFields, readSubjectVersion } from './subjectVersions';

/**
 * The registry refused the bid schema as a new version of the subject because
 * it breaks the subject's compatibility level (HTTP 409). The message names
 * the subject, the level and the registry's reason. Registering it anyway is
 * an operator's decision: `npm run register-schema -- --override-compatibility`.
 */
export class BidSchemaIncompatibleError extends Error {
  override name = 'BidSchemaIncompatibleError';

  constructor(
    readonly subject: string,
    readonly level: string,
    readonly reason: string,
  ) {
    super(
      `the schema registry refuses schemas/bid.schema.json as a new version of ${subject} under compatibility ` +
        `level ${level}: ${reason}. If the change is intended, register it once with ` +
        '`npm run register-schema -- --override-compatibility` (README: "Changing the bid schema"), then start again',
    );
  }
}

/**
 * Registers the bid schema under the subject (a no-op returning the same id
 * when that content is already registered) at the project's compatibility
 * level, FULL, and returns its id.
 *
 * The level is put on the subject before registering, so the registry
 * checks the new version under it. Two cases are told apart:
 * - a subject with no version yet: the schema is registered, then the
 *   level set (a subject the registry does not know has no level to set);
 * - a subject whose latest version is closed to new fields (registered by a
 *   release before the bid schema was opened): opening it is backward
 *   compatible only, so it is registered under BACKWARD, the level the
 *   registry client of those releases set, and the subject moved to FULL
 *   afterwards, whatever the outcome. Logged as a warning.
 */
export async function registerBidSchema(settings: RegistrySettings, schema: string, log?: Logger): Promise<number> {
  const { subject } = settings;
  const latest = await readSubjectVersion(settings, 'latest');
  if (latest === undefined) {
    const id = await registerSchemaVersion(settings, schema, BID_COMPATIBILITY_LEVEL);
    await setCompatibilityLevel(settings, BID_COMPATIBILITY_LEVEL);
    log?.info({ subject, compatibility: BID_COMPATIBILITY_LEVEL }, `compatibility level of ${subject} set`);
    return id;
  }
  const level = await readCompatibilityLevel(settings);
  if (isClosedToNewFields(latest.schema)) {
    log?.warn(
      { subject, compatibility: level ?? null, latestVersion: latest.version },
      `version ${latest.version} of ${subject} is closed to new fields: registering the bid schema under ` +
        `BACKWARD, then setting ${subject} to ${BID_COMPATIBILITY_LEVEL}`,
    );
    if (level !== 'BACKWARD') await setCompatibilityLevel(settings, 'BACKWARD');
    try {
      return await registerSchemaVersion(settings, schema, 'BACKWARD');
    } finally {
      await setCompatibilityLevel(settings, BID_COMPATIBILITY_LEVEL);
    }
  }
  if (level !== BID_COMPATIBILITY_LEVEL) {
    await setCompatibilityLevel(settings, BID_COMPATIBILITY_LEVEL);
    log?.warn(
      { subject, compatibility: BID_COMPATIBILITY_LEVEL, previous: level ?? null },
      `compatibility level of ${subject} set to ${BID_COMPATIBILITY_LEVEL} (was ${level ?? 'not set'})`,
    );
  }
  return registerSchemaVersion(settings, schema, BID_COMPATIBILITY_LEVEL);
}

/**
 * Registers `schema` as a new version of the subject, the subject being at
 * `level` (named in the refusal when the registry answers 409); the one POST
 * the start-up registration and the operator's override both use.
 */
export async function registerSchemaVersion(
  settings: RegistrySettings,
  schema: string,
  level: string,
): Promise<number> {
  const { subject } = settings;
  const answer = await askRegistry(settings, `/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    body: { schemaType: 'JSON', schema },
  });
  const id = (answer.body as { id?: unknown } | undefined)?.id;
  if (answer.status === 200 && typeof id === 'number') return id;
  if (answer.status === 409) throw new BidSchemaIncompatibleError(subject, level, refusalReason(answer.body));
  const reason = describeBody(answer.body).replace(/\s+/g, ' ').trim();
  if (answer.status === 404) {
    throw new ConfigError(
      'SCHEMA_REGISTRY_URL',
      `does not point at a Confluent-compatible schema registry API: registering under ${subject} answered HTTP 404`,
    );
  }
  throw new RegistryUnavailableError(
    `the schema registry refused the bid schema under ${subject} (HTTP ${answer.status}): ${reason}`,
  );
}
