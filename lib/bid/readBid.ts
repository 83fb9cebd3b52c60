import { BID_FIELDS, type Bid } from './bid';

/** A JSON value as a record carries it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A bid as a reader got it from the topic: the fields every store has a
 * column for, and `extra`, every other field the writer's schema version
 * allowed (an optional field added in a later version), by name. `extra` is
 * empty for a bid of the first version.
 */
export interface ReadBid {
  bid: Bid;
  extra: Readonly<Record<string, JsonValue>>;
}

/**
 * Splits a payload already validated against its writer's schema version
 * (and against this reader's rules for the `Bid` fields) into the `Bid`
 * columns and the rest, which no store may drop without a trace.
 */
export function splitBid(payload: Readonly<Record<string, JsonValue>>): ReadBid {
  const bid: Record<string, JsonValue> = {};
  const extra: Record<string, JsonValue> = {};
  for (const [field, value] of Object.entries(payload)) {
    if (field in BID_FIELDS) bid[field] = value;
    else extra[field] = value;
  }
  return { bid: bid as unknown as Bid, extra };
}

/** `extra` as the JSON text MySQL and Hive keep in their `extra` column; null when there is nothing beyond the columns. */
export function extraColumnText(extra: Readonly<Record<string, JsonValue>>): string | null {
  return Object.keys(extra).length === 0 ? null : JSON.stringify(extra);
}
