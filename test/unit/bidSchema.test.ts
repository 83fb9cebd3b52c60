import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BID_FIELDS, bidIntakeSchema, bidSchema } from '../../lib/bid/bid';
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
  });

  it('admits fields it does not list with a schema, not `true` or `false`, so a later version may add an optional one under FULL', () => {
    const additional = bidSchema.additionalProperties;
    assert.ok(additional !== null && typeof additional === 'object' && !Array.isArray(additional));
    assert.deepEqual(Object.keys(additional as object), ['description'], 'a schema that accepts any value');
  });

  it('is closed to fields it does not list at intake', () => {
    assert.equal(bidIntakeSchema.additionalProperties, false);
    assert.deepEqual({ ...bidIntakeSchema, additionalProperties: bidSchema.additionalProperties }, bidSchema);
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

  // bid_ts: what every store holds exactly (MySQL DATETIME(3), Hive and PostgreSQL timestamps, the CSV text).
  const acceptedTimestamps = [
    '1970-01-01T00:00:00Z',
    '2999-12-31T23:59:59.999Z',
    '2026-11-23T10:15:30.1Z',
    '2026-11-23T10:15:30.12Z',
    '2024-02-29T12:00:00.000Z',
  ];
  for (const bid_ts of acceptedTimestamps) {
    it(`accepts the bid time ${bid_ts}`, () => {
      assert.equal(validateBid({ ...goodBid, bid_ts }).valid, true);
    });
  }

  const refusedTimestamps: [string, string, RegExp][] = [
    ['year 0000', '0000-01-01T00:00:00Z', /year from 1970 to 2999/],
    ['a year before 1970', '1969-12-31T23:59:59.999Z', /year from 1970 to 2999/],
    ['a year after 2999', '3000-01-01T00:00:00Z', /year from 1970 to 2999/],
    ['a five-digit year', '10000-01-01T00:00:00Z', /year from 1970 to 2999/],
    ['a leap second', '2016-12-31T23:59:60Z', /seconds from 00 to 59/],
    ['more than millisecond precision', '2026-11-23T10:15:30.1234Z', /at most 3 fraction digits/],
    ['a lowercase t', '2026-11-23t10:15:30.123Z', /uppercase T/],
    ['a lowercase z', '2026-11-23T10:15:30.123z', /in UTC, ending in an uppercase Z/],
    ['an offset instead of Z', '2026-11-23T10:15:30.123+00:00', /in UTC, ending in an uppercase Z/],
    ['a day that does not exist', '2026-02-30T10:15:30Z', /valid date-time/],
  ];
  for (const [what, bid_ts, message] of refusedTimestamps) {
    it(`refuses a bid time with ${what}, saying why`, () => {
      const result = validateBid({ ...goodBid, bid_ts });
      assert.equal(result.valid, false);
      if (result.valid) return;
      const errors = result.errors.filter((e) => e.field === 'bid_ts');
      assert.ok(
        errors.some((e) => message.test(e.message)),
        `expected ${message} in ${JSON.stringify(result.errors)}`,
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
