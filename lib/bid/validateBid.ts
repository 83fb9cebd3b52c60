import type { ErrorObject } from 'ajv';
import { createAjv } from './ajv';
import { bidIntakeSchema, MAX_PRICE, MAX_TEXT_LENGTH, type Bid } from './bid';
import { describeBidTimestampProblem } from './bidTimestamp';

/** One reason a bid was refused: the field, the schema rule it broke, and a sentence for people. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export type BidValidation = { valid: true; bid: Bid } | { valid: false; errors: FieldError[] };

const validate = createAjv().compile<Bid>(bidIntakeSchema);

/**
 * Checks a candidate bid against `schemas/bid.schema.json`, closed to fields
 * it does not list (`bidIntakeSchema`). The web app runs
 * it before producing and the sinks after decoding, with the same compiled
 * schema, so a record the page accepted is one every sink accepts.
 */
export function validateBid(candidate: unknown): BidValidation {
  if (validate(candidate)) return { valid: true, bid: candidate };
  return { valid: false, errors: fieldErrorsOf(validate.errors, candidate) };
}

/** An ajv error list as field errors for people. */
export function fieldErrorsOf(errors: readonly ErrorObject[] | null | undefined, candidate: unknown): FieldError[] {
  return (errors ?? []).map((error) => toFieldError(error, candidate));
}

function toFieldError(error: ErrorObject, candidate: unknown): FieldError {
  const params = error.params as Record<string, unknown>;
  const field =
    error.keyword === 'required'
      ? String(params.missingProperty)
      : error.keyword === 'additionalProperties'
        ? String(params.additionalProperty)
        : error.instancePath.replace(/^\//, '') || '(bid)';
  return { field, rule: error.keyword, message: describe(error, params, candidate) };
}

function describe(error: ErrorObject, params: Record<string, unknown>, candidate: unknown): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field of a bid';
    case 'type':
      return params.type === 'integer' ? 'must be a whole number' : `must be a ${String(params.type)}`;
    case 'minLength':
      return 'must not be empty';
    case 'maxLength':
      return `must be at most ${MAX_TEXT_LENGTH} characters`;
    case 'pattern':
      return error.instancePath === '/bid_ts'
        ? describeBidTimestampProblem((candidate as { bid_ts?: unknown }).bid_ts)
        : 'must not be blank or contain control characters';
    case 'minimum':
      return 'must be at least 1';
    case 'maximum':
      return `must be at most ${MAX_PRICE.toLocaleString('en-US')}`;
    case 'format':
      return `must be a valid ${String(params.format)}`;
    default:
      return error.message ?? 'is invalid';
  }
}
