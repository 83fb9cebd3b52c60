import { bidSchema } from '../lib/bid/bid';
import { loadEnv } from '../lib/env';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { BidCodec, BidSchemaIncompatibleError } from '../lib/registry/bidCodec';
import { registerOverridingCompatibility } from '../lib/registry/compatibilityOverride';
import { readRegistrySettings } from '../lib/registry/settings';

const OVERRIDE = '--override-compatibility';

/**
 * `npm run register-schema`: registers schemas/bid.schema.json under
 * `auction-value` at the project's compatibility level (FULL); idempotent.
 * With `-- --override-compatibility` a version the subject's level refuses
 * is registered anyway, once, with the override logged (see
 * lib/registry/compatibilityOverride.ts).
 */
runMain('register-schema', async () => {
  const unknown = process.argv.slice(2).filter((arg) => arg !== OVERRIDE);
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}; the only option is ${OVERRIDE}`);
  const override = process.argv.includes(OVERRIDE);
  const log = createLogger('register-schema');
  const settings = readRegistrySettings(loadEnv());
  const codec = BidCodec.fromSettings(settings);
  await codec.checkRegistry();
  let id: number;
  try {
    id = await codec.register(log);
  } catch (error) {
    if (!(error instanceof BidSchemaIncompatibleError) || !override) throw error;
    id = await registerOverridingCompatibility(settings, JSON.stringify(bidSchema), log);
  }
  log.info({ subject: settings.subject, schemaId: id, registry: settings.url }, 'bid schema registered');
});
