import { BID_FIELDS, bidSchema } from './bid';

/**
 * The fields of this program's `schemas/bid.schema.json` beyond the `Bid`
 * columns, in the schema's order: optional fields added to the bid since its
 * first version (README: "Changing the bid schema"). The web app accepts
 * them from bidders; MySQL and Hive keep them in their `extra` column; the
 * CSV export gives each its own column.
 */
export const ADDED_BID_FIELDS: readonly string[] = Object.keys(
  bidSchema.properties as Readonly<Record<string, unknown>>,
).filter((field) => !(field in BID_FIELDS));
