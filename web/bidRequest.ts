import { randomUUID } from 'node:crypto';
import type { Bid } from '../lib/bid/bid';
import { validateBid, type FieldError } from '../lib/bid/validateBid';
import { isWellFormedText } from '../lib/bid/wellFormedText';

/** What the bidder may send: the rest of a bid is set by the server. */
const BIDDER_FIELDS = ['item', 'name', 'price'] as const;
const SERVER_FIELDS = new Set(['bid_id', 'bid_ts']);
/** The fields people type; the schema cannot say "no lone surrogates", so this is checked here. */
const TEXT_FIELDS = ['item', 'name'] as const;

export type BidCheck = { valid: true; bid: Bid } | { valid: false; errors: FieldError[] };

/** A text field as the server keeps it: Unicode-normalised and trimmed; anything else is left for the schema to refuse. */
function cleanText(value: unknown): unknown {
  return typeof value === 'string' ? value.normalize('NFC').trim() : value;
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
 * bid: checks there are no fields a bidder may not set, cleans the text
 * fields, refuses text that is not well-formed Unicode (a lone surrogate),
 * adds `bid_id` and `bid_ts`, and validates the whole against
 * `schemas/bid.schema.json` — the schema every sink checks again.
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
    .filter((key) => !(BIDDER_FIELDS as readonly string[]).includes(key))
    .map((key) =>
      SERVER_FIELDS.has(key)
        ? { field: key, rule: 'readOnly', message: 'is set by the server and must not be sent' }
        : { field: key, rule: 'additionalProperties', message: 'is not a field of a bid' },
    );
  const candidate = {
    bid_id: randomUUID(),
    item: cleanText(fields.item),
    name: cleanText(fields.name),
    price: fields.price,
    bid_ts: now.toISOString(),
  };
  const malformed: FieldError[] = TEXT_FIELDS.filter((field) => {
    const value = candidate[field];
    return typeof value === 'string' && !isWellFormedText(value);
  }).map((field) => ({ field, rule: 'unicode', message: 'must be valid Unicode text' }));
  const checked = validateBid(candidate);
  // A field with a lone surrogate gets that one error: what else the schema says of it is beside the point.
  const schemaErrors = checked.valid ? [] : checked.errors.filter((e) => !malformed.some((m) => m.field === e.field));
  const errors = [...refused, ...malformed, ...schemaErrors];
  if (errors.length > 0 || !checked.valid) return { valid: false, errors };
  return { valid: true, bid: checked.bid };
}
