import { randomUUID } from 'node:crypto';
import type { Bid } from '../lib/bid/bid';
import { ADDED_BID_FIELDS } from '../lib/bid/addedBidFields';
import { checkBidText } from '../lib/bid/bidText';
import { validateBid, type FieldError } from '../lib/bid/validateBid';
import { shownInput } from './shownInput';

/**
 * What the bidder may send: item, name, price, and any optional field this
 * program's bid schema added since its first version; the rest of a bid is
 * set by the server. Anything else is refused, whatever the schema allows.
 */
const BIDDER_FIELDS: readonly string[] = ['item', 'name', 'price', ...ADDED_BID_FIELDS];
const SERVER_FIELDS = new Set(['bid_id', 'bid_ts']);

export type BidCheck = { valid: true; bid: Bid } | { valid: false; errors: FieldError[] };

/** What becomes of a field people type: text is checked and normalised; anything else is left for the schema to refuse. */
type TextField = { value: unknown; error?: undefined } | { value: undefined; error: FieldError };

function textField(field: 'item' | 'name', value: unknown): TextField {
  if (typeof value !== 'string') return { value };
  const checked = checkBidText(value);
  return checked.ok ? { value: checked.text } : { value: undefined, error: { field, ...checked.problem } };
}

/**
 * A form's price field, `"1500"` or `" 1500 "`, as a number; anything that is
 * not a plain whole number stays text, so the schema refuses it as "must be
 * a whole number" rather than us guessing what was meant.
 */
export function priceFromForm(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : text;
}

/**
 * Turns what a bidder sent (a JSON body or a form, already parsed) into a
 * bid: checks there are no fields a bidder may not set (naming at most
 * `SHOWN_INPUT_CHARACTERS` of each), checks and normalises the text fields
 * (`lib/bid/bidText.ts`: stricter than the schema, which records already on
 * the topic were held to), adds `bid_id` and `bid_ts`, and validates the
 * whole against `schemas/bid.schema.json` — the schema every sink checks
 * again. Errors about the bid's own fields come first.
 */
export function bidFromRequest(body: unknown, now: Date = new Date()): BidCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      valid: false,
      errors: [{ field: '(bid)', rule: 'type', message: 'must be a JSON object with item, name and price' }],
    };
  }
  const fields = body as Record<string, unknown>;
  const refused: FieldError[] = Object.keys(fields)
    .filter((key) => !BIDDER_FIELDS.includes(key))
    .map((key) =>
      SERVER_FIELDS.has(key)
        ? { field: key, rule: 'readOnly', message: 'is set by the server and must not be sent' }
        : { field: shownInput(key), rule: 'additionalProperties', message: 'is not a field of a bid' },
    );
  const item = textField('item', fields.item);
  const name = textField('name', fields.name);
  const textErrors = [item.error, name.error].filter((error) => error !== undefined);
  const added = Object.fromEntries(
    ADDED_BID_FIELDS.filter((field) => Object.hasOwn(fields, field)).map((f) => [f, fields[f]]),
  );
  const candidate = {
    bid_id: randomUUID(),
    item: item.value,
    name: name.value,
    price: fields.price,
    ...added,
    bid_ts: now.toISOString(),
  };
  const checked = validateBid(candidate);
  // A refused text field gets that one error: what the schema says of its absence is beside the point.
  const schemaErrors = checked.valid ? [] : checked.errors.filter((e) => !textErrors.some((t) => t.field === e.field));
  const errors = [...textErrors, ...schemaErrors, ...refused];
  if (errors.length > 0 || !checked.valid) return { valid: false, errors };
  return { valid: true, bid: checked.bid };
}
