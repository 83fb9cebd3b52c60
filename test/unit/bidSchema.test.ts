import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BID_FIELDS, bidSchema } from '../../lib/bid/bid';
import { validateBid } from '../../lib/bid/validateBid';

const goodBid = {
  bid_id: '6f1c1a52-4f0e-4a59-9a3c-7d1b6f1f2a10',
  item: 'Blue vase',
  name: 'Ada',
  price: 120,
  bid_ts: '2026-11-23T10:15:30.123Z',
};

describe('bid schema', () => {
  it('lists exactly the fields of the Bid type, all required, with matching types', () => {
    const properties = bidSchema.properties as Record<string, { type: string }>;
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(BID_FIELDS).sort());
    assert.deepEqual([...(bidSchema.required as string[])].sort(), Object.keys(BID_FIELDS).sort());
    for (const [field, type] of Object.entries(BID_FIELDS)) assert.equal(properties[field]?.type, type, field);
    assert.equal(bidSchema.additionalProperties, false);
  });

  it('accepts a well-formed bid', () => {
    assert.deepEqual(validateBid(goodBid), { valid: true, bid: goodBid });
  });

  const refusals: [string, Record<string, unknown>, string, string][] = [
    ['a zero price', { price: 0 }, 'price', 'minimum'],
    ['a negative price', { price: -5 }, 'price', 'minimum'],
    ['a fractional price', { price: 1.5 }, 'price', 'type'],
    ['an absurd price', { price: 1_000_000_001 }, 'price', 'maximum'],
    ['a price given as text', { price: '12' }, 'price', 'type'],
    ['an empty name', { name: '' }, 'name', 'minLength'],
    ['a blank name', { name: '   ' }, 'name', 'pattern'],
    ['a 101-character item', { item: 'x'.repeat(101) }, 'item', 'maxLength'],
    ['a control character in the name', { name: 'Ada\u0007' }, 'name', 'pattern'],
    ['a non-UUID bid id', { bid_id: 'abc' }, 'bid_id', 'format'],
    ['a timestamp with an offset', { bid_ts: '2026-11-23T10:15:30+01:00' }, 'bid_ts', 'pattern'],
    ['an extra property', { admin: true }, 'admin', 'additionalProperties'],
  ];
  for (const [what, change, field, rule] of refusals) {
    it(`refuses ${what}, naming the field and the rule`, () => {
      const result = validateBid({ ...goodBid, ...change });
      assert.equal(result.valid, false);
      if (result.valid) return;
      assert.ok(
        result.errors.some((e) => e.field === field && e.rule === rule),
        `expected ${field}/${rule} in ${JSON.stringify(result.errors)}`,
      );
    });
  }

  it('counts a 100-character name of multi-byte characters as 100 characters', () => {
    assert.equal(validateBid({ ...goodBid, name: 'é'.repeat(100) }).valid, true);
  });

  it('refuses a bid with a missing field', () => {
    const { price: _price, ...withoutPrice } = goodBid;
    const result = validateBid(withoutPrice);
    assert.ok(!result.valid && result.errors.some((e) => e.field === 'price' && e.rule === 'required'));
  });
});
