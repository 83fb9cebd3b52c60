import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError } from '../../lib/bid/validateBid';
import { bidRefusal, ERRORS_SHOWN } from '../../web/bidRefusal';
import { SHOWN_INPUT_CHARACTERS, shownInput } from '../../web/shownInput';

const unknownField = (field: string): FieldError => ({
  field,
  rule: 'additionalProperties',
  message: 'is not a field of a bid',
});

describe('the answer to a refused bid', () => {
  it('lists every error when there are few', () => {
    const errors = [{ field: 'price', rule: 'minimum', message: 'must be at least 1' }, unknownField('reserve')];
    assert.deepEqual(bidRefusal(errors), {
      error: 'The bid was refused: price must be at least 1; reserve is not a field of a bid.',
      errors,
      errors_omitted: 0,
    });
  });

  it(`lists at most ${ERRORS_SHOWN} errors and counts the rest`, () => {
    const errors = Array.from({ length: 1000 }, (_, i) => unknownField(`k${i}`));
    const refusal = bidRefusal(errors);
    assert.deepEqual(refusal.errors, errors.slice(0, ERRORS_SHOWN));
    assert.equal(refusal.errors_omitted, 1000 - ERRORS_SHOWN);
    assert.match(refusal.error, /k4 is not a field of a bid; and 995 more problems\.$/);
    assert.doesNotMatch(refusal.error, /k5 /);
  });

  it('says "1 more problem" for one', () => {
    const errors = Array.from({ length: ERRORS_SHOWN + 1 }, (_, i) => unknownField(`k${i}`));
    assert.match(bidRefusal(errors).error, /; and 1 more problem\.$/);
  });
});

describe('input repeated in an answer', () => {
  it('is kept whole up to the limit', () => {
    const text = 'x'.repeat(SHOWN_INPUT_CHARACTERS);
    assert.equal(shownInput(text), text);
  });

  it('is cut after the limit, on whole characters, with an ellipsis', () => {
    assert.equal(shownInput('y'.repeat(100_000)), `${'y'.repeat(SHOWN_INPUT_CHARACTERS)}…`);
    assert.equal(shownInput('🏺'.repeat(50), 3), '🏺🏺🏺…');
  });
});
