import { createAjv } from './ajv';
import { bidSchema, type Bid } from './bid';
import { fieldErrorsOf, type FieldError } from './validateBid';

/**
 * This program's bid schema with any field allowed beside the ones it
 * names: what a reader requires of a record written under another version
 * of the bid (one with fields added since, checked by that version), for the
 * fields it knows.
 */
const { additionalProperties: _anyOther, ...readerRules } = bidSchema;
const validateKnownFields = createAjv().compile<Bid>(readerRules);

/**
 * Checks the fields this program's schema names, and only those, against
 * its rules, so a sink stores the fields it knows exactly as its own version
 * defines them (every store holds such a `bid_ts` exactly, for one), whatever
 * version a record was written under. No errors: the record passes.
 */
export function validateKnownBidFields(candidate: unknown): FieldError[] {
  return validateKnownFields(candidate) ? [] : fieldErrorsOf(validateKnownFields.errors, candidate);
}
