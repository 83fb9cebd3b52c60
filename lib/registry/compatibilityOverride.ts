import { errorMessage } from '../errorMessage';
import type { Logger } from '../logger';
import { readCompatibilityLevel, setCompatibilityLevel } from './compatibilityLevel';
import { registerSchemaVersion } from './registerBidSchema';
import type { RegistrySettings } from './settings';

/**
 * Registers a schema the subject's compatibility rule refuses, as an
 * operator's deliberate decision (`npm run register-schema --
 * --override-compatibility`), through the registry's own API: the subject's
 * level is read, set to NONE for this one registration, and put back, each
 * step logged. Used when a change narrows the schema on purpose (for
 * example `bid_ts` limited to values every store holds): the records already
 * on the topic that the narrower schema refuses become dead letters with
 * their reason, instead of the change being made around the registry.
 *
 * Returns the new schema id. If the level cannot be put back, throws an
 * error that says the subject was left at NONE and how to restore it.
 */
export async function registerOverridingCompatibility(
  settings: RegistrySettings,
  schema: string,
  log: Logger,
): Promise<number> {
  const { subject } = settings;
  const previous = await readCompatibilityLevel(settings);
  if (previous === undefined) throw new Error(`cannot read the compatibility level of ${subject}: it has none`);
  log.warn(
    { subject, compatibility: previous },
    `overriding the compatibility rule of ${subject}: level NONE for this one registration, then ${previous} again`,
  );
  await setCompatibilityLevel(settings, 'NONE');
  // The level is put back whether or not the registration succeeded.
  let outcome: { schemaId: number } | { failure: unknown };
  try {
    outcome = { schemaId: await registerSchemaVersion(settings, schema, 'NONE') };
  } catch (failure) {
    outcome = { failure };
  }
  try {
    await setCompatibilityLevel(settings, previous);
  } catch (error) {
    throw new Error(
      `${subject} was left at compatibility level NONE (${errorMessage(error)}); restore it with ` +
        `curl -X PUT -H 'Content-Type: application/json' -d '{"compatibility":"${previous}"}' ${settings.url}/config/${subject}`,
    );
  }
  log.info({ subject, compatibility: previous }, `compatibility level of ${subject} restored`);
  if ('failure' in outcome) throw outcome.failure;
  const { schemaId } = outcome;
  log.warn(
    { subject, schemaId, compatibility: previous },
    `registered under ${subject} with the compatibility override`,
  );
  return schemaId;
}
