import { bidSchema } from '../../lib/bid/bid';

type SchemaDocument = Record<string, unknown>;

const properties = (): Record<string, unknown> => ({ ...(bidSchema.properties as Record<string, unknown>) });

/** The bid schema with optional fields added (or, for a field it has, replaced). */
export function bidSchemaWithFields(fields: Record<string, unknown>): SchemaDocument {
  return { ...bidSchema, properties: { ...properties(), ...fields } };
}

/** The `currency` field of version 2 of the bid: optional, an ISO 4217 code. */
export const CURRENCY_FIELD = {
  description: 'ISO 4217 code of the currency of price, e.g. EUR.',
  type: 'string',
  pattern: '^[A-Z]{3}$',
};

/**
 * Version 2 of the bid, as a later release would ship it: the bid schema
 * plus one optional field, `currency`.
 */
export function bidSchemaWithCurrency(): SchemaDocument {
  return bidSchemaWithFields({ currency: CURRENCY_FIELD });
}

/** The bid schema without one of its required fields: a change the policy forbids. */
export function bidSchemaWithout(field: string): SchemaDocument {
  const kept = Object.fromEntries(Object.entries(properties()).filter(([name]) => name !== field));
  return { ...bidSchema, properties: kept, required: (bidSchema.required as string[]).filter((f) => f !== field) };
}

/** The bid schema with one field's type changed: a change the policy forbids. */
export function bidSchemaRetyping(field: string, type: string): SchemaDocument {
  const all = properties();
  return { ...bidSchema, properties: { ...all, [field]: { type } } };
}

/** The bid schema as releases before the open shape registered it: closed to every field it does not list. */
export function closedBidSchema(): SchemaDocument {
  return { ...bidSchema, additionalProperties: false };
}
