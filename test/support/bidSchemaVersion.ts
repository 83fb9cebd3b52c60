import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bidSchema, type Bid } from '../../lib/bid/bid';
import { fromRoot } from '../../lib/paths';

/** Version 2 of the bid: version 1 and one optional field, the currency of the price. */
export type BidV2 = Bid & { currency?: string };

/** The bid schema of version 2: this project's schema with `currency` added, not required. */
export const bidSchemaV2: Readonly<Record<string, unknown>> = {
  ...bidSchema,
  properties: {
    ...(bidSchema.properties as Readonly<Record<string, unknown>>),
    currency: {
      description: 'ISO 4217 code of the currency of price, e.g. EUR.',
      type: 'string',
      pattern: '^[A-Z]{3}$',
    },
  },
};

/**
 * A copy of the built project (dist/, views/, sql/, static files; node_modules
 * linked) whose programs read `schema` as their bid schema: the project as a
 * release with that version of `schemas/bid.schema.json` would build it,
 * since the programs load the schema from dist/schemas/ at run time. No
 * second schema file in the product. `remove()` deletes the copy.
 */
export function builtProjectWithBidSchema(schema: Readonly<Record<string, unknown>>): {
  root: string;
  remove(): void;
} {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'auction-bid-version-'));
  fs.copyFileSync(fromRoot('package.json'), path.join(root, 'package.json'));
  for (const folder of ['dist', 'views', 'sql', path.join('web', 'public')]) {
    fs.cpSync(fromRoot(folder), path.join(root, folder), { recursive: true });
  }
  fs.symlinkSync(fs.realpathSync(fromRoot('node_modules')), path.join(root, 'node_modules'), 'dir');
  const schemaFile = path.join(root, 'dist', 'schemas', 'bid.schema.json');
  if (!fs.existsSync(schemaFile)) throw new Error(`${schemaFile} is missing: build the project first`);
  fs.writeFileSync(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
