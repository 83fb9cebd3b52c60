import bidSchemaJson from '../../schemas/bid.schema.json';

/**
 * One bid, as carried on the `auction` topic and stored by every sink.
 * `schemas/bid.schema.json` is the source of truth; `BID_FIELDS` below is
 * typed against this interface and checked against the schema by a unit
 * test, so the two cannot drift apart.
 */
export interface Bid {
  /** UUID set by the server when the bid is accepted. */
  bid_id: string;
  /** The lot being bid on. */
  item: string;
  /** The bidder. */
  name: string;
  /** Whole currency units, 1 to MAX_PRICE. */
  price: number;
  /** RFC 3339 date-time in UTC, set by the server. */
  bid_ts: string;
}

/** What a bidder supplies; the server adds `bid_id` and `bid_ts`. */
export type BidRequest = Pick<Bid, 'item' | 'name' | 'price'>;

/** The JSON Schema type of each field, in the column order every sink uses. */
export const BID_FIELDS: Readonly<Record<keyof Bid, 'string' | 'integer'>> = {
  bid_id: 'string',
  item: 'string',
  name: 'string',
  price: 'integer',
  bid_ts: 'string',
};

/** The stable column order shared by the CSV header and the SQL tables. */
export const BID_COLUMNS = Object.keys(BID_FIELDS) as readonly (keyof Bid)[];

/**
 * The bid schema document, exactly as in `schemas/bid.schema.json`: what is
 * registered under the subject. It admits fields it does not list
 * (`additionalProperties` is a schema), so that a later version may add an
 * optional field under the FULL compatibility level.
 */
export const bidSchema: Readonly<Record<string, unknown>> = bidSchemaJson;

/**
 * The same schema closed to fields it does not list: what a bid this
 * program writes must satisfy, so nothing unknown enters through intake.
 */
export const bidIntakeSchema: Readonly<Record<string, unknown>> = { ...bidSchemaJson, additionalProperties: false };

/** The highest price a bid may carry (the schema's `maximum`), in whole currency units. */
export const MAX_PRICE: number = bidSchemaJson.properties.price.maximum;

/** The longest `item` or `name`, in characters (the schema's `maxLength`). */
export const MAX_TEXT_LENGTH: number = bidSchemaJson.properties.name.maxLength;
