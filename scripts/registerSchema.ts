import { loadEnv } from '../lib/env';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { BidCodec } from '../lib/registry/bidCodec';
import { readRegistrySettings } from '../lib/registry/settings';

/** `npm run register-schema`: registers schemas/bid.schema.json under `auction-value`; idempotent. */
runMain('register-schema', async () => {
  const log = createLogger('register-schema');
  const settings = readRegistrySettings(loadEnv());
  const id = await BidCodec.fromSettings(settings).register();
  log.info({ subject: settings.subject, schemaId: id, registry: settings.url }, 'bid schema registered');
});
