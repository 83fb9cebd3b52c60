import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extraColumnText, splitBid } from '../../lib/bid/readBid';
import { sampleBid } from '../support/bidStream';

describe('a bid as read from the topic', () => {
  it('keeps every field beyond the Bid columns, whatever version added it, in extra', () => {
    const bid = sampleBid(1);
    assert.deepEqual(splitBid({ ...bid, currency: 'EUR', lot: { grade: 2 } }), {
      bid,
      extra: { currency: 'EUR', lot: { grade: 2 } },
    });
    assert.deepEqual(splitBid({ ...bid }), { bid, extra: {} });
  });

  it('is stored as a JSON object in extra, or NULL when there is nothing beyond the columns', () => {
    assert.equal(extraColumnText({ currency: 'EUR' }), '{"currency":"EUR"}');
    assert.equal(extraColumnText({}), null);
  });
});
