import fs from 'node:fs';
import path from 'node:path';
import { loadEnv } from '../lib/env';
import { errorMessage } from '../lib/errorMessage';
import { runMain } from '../lib/main';
import { fromRoot } from '../lib/paths';
import { BidCodec } from '../lib/registry/bidCodec';
import { BID_COMPATIBILITY_LEVEL } from '../lib/registry/compatibilityLevel';
import { checkAgainstRegisteredVersions, type VersionVerdict } from '../lib/registry/schemaCompatibilityCheck';
import { readRegistrySettings } from '../lib/registry/settings';

/**
 * `npm run schema:check [-- <file>]`: asks the schema registry whether the
 * working copy of schemas/bid.schema.json (or the file given) is compatible
 * with every version registered under `auction-value`, under the subject's
 * level, and prints the registry's verdict on each, with its reasons.
 * Registers nothing. Exits 1 if any version refuses it, or if the subject is
 * not at the project's level (then the registry would not enforce it).
 */
runMain('schema:check', async () => {
  const args = process.argv.slice(2);
  if (args.length > 1 || args[0]?.startsWith('-')) {
    throw new Error(
      `unknown argument ${args.find((a) => a.startsWith('-')) ?? args[1]}; the only one is a schema file`,
    );
  }
  const file = args[0] === undefined ? fromRoot('schemas', 'bid.schema.json') : path.resolve(args[0]);
  const shown = path.relative(process.cwd(), file) || file;
  const schema = readSchema(file, shown);
  const settings = readRegistrySettings(loadEnv());
  await BidCodec.fromSettings(settings).checkRegistry();

  const { subject, level, verdicts } = await checkAgainstRegisteredVersions(settings, schema);
  if (verdicts.length === 0) {
    process.stdout.write(`no version of ${subject} is registered yet: ${shown} has nothing to be checked against\n`);
    return;
  }
  process.stdout.write(`${shown} against ${subject} (compatibility level ${level ?? 'not set'}):\n`);
  for (const verdict of verdicts) {
    const line =
      verdict.verdict === 'compatible'
        ? 'compatible'
        : verdict.verdict === 'closed'
          ? 'not checked: registered before the bid schema was opened for new fields'
          : `INCOMPATIBLE: ${verdict.reasons.join('; ')}`;
    process.stdout.write(`  version ${verdict.version}: ${line}\n`);
  }
  if (level !== BID_COMPATIBILITY_LEVEL) {
    throw new Error(
      `${subject} is at compatibility level ${level ?? 'not set'}, not ${BID_COMPATIBILITY_LEVEL}, so the registry does ` +
        'not hold bid schema changes to the rules; `npm run register-schema` sets it',
    );
  }
  const refused = verdicts.filter(
    (verdict): verdict is Extract<VersionVerdict, { verdict: 'incompatible' }> => verdict.verdict === 'incompatible',
  );
  if (refused.length > 0) {
    throw new Error(
      `${shown} is not compatible with version${refused.length > 1 ? 's' : ''} ` +
        `${refused.map((verdict) => verdict.version).join(', ')} of ${subject} under ${level}: ` +
        refused[0]!.reasons.join('; '),
    );
  }
  const checked = verdicts.filter((verdict) => verdict.verdict === 'compatible').length;
  process.stdout.write(`${shown} is compatible with ${checked} version${checked === 1 ? '' : 's'} of ${subject}\n`);
});

function readSchema(file: string, shown: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${shown}: ${errorMessage(error)}`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Error(`${shown} is not JSON: ${errorMessage(error)}`);
  }
  // Registered as the web app registers it: compact JSON, so the same content is the same schema.
  return JSON.stringify(JSON.parse(text) as unknown);
}
