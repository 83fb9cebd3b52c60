import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TEXT_LENGTH } from '../../lib/bid/bid';
import { lotQuery } from '../../web/lotQuery';

describe('a lot asked for by a client', () => {
  it('is normalised as an accepted bid’s item is', () => {
    assert.deepEqual(lotQuery(' Ｏａｋ\u00A0 dresser '), { ok: true, item: 'Oak dresser' });
  });

  it('keeps case', () => {
    assert.deepEqual(lotQuery('oak dresser'), { ok: true, item: 'oak dresser' });
  });

  it('is refused, without repeating it, when no item can be it', () => {
    const error = `item must be one lot name of 1 to ${MAX_TEXT_LENGTH} characters`;
    for (const raw of ['', '   ', 'x'.repeat(MAX_TEXT_LENGTH + 1), ['a', 'b'], undefined]) {
      assert.deepEqual(lotQuery(raw), { ok: false, error }, JSON.stringify(raw));
    }
  });

  it('takes the longest item there can be, counted in characters', () => {
    assert.equal(lotQuery('🏺'.repeat(MAX_TEXT_LENGTH)).ok, true);
  });
});
