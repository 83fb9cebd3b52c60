import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PostedBidAnswer } from '../../lib/traffic/postBid';
import { AutobidTally, summaryText } from '../../scripts/autobid/autobidTally';
import { bidAnswerOutcome, retryAfterSeconds } from '../../scripts/autobid/bidAnswerOutcome';
import { progressBar, progressText } from '../../scripts/autobid/progressText';
import { allowedBidsPerSecond } from '../../scripts/autobid/rateLimitPolicy';

function answer(status: number, body: unknown, extra: Partial<PostedBidAnswer> = {}): PostedBidAnswer {
  return {
    status,
    body: JSON.stringify(body),
    retryAfter: undefined,
    rateLimitPolicy: undefined,
    answeredAt: 0,
    failure: undefined,
    ...extra,
  };
}

const ACCEPTED = {
  bid_id: 'b1',
  item: 'Lot 1: Oak vase',
  name: 'Ada Almeida',
  price: 120,
  bid_ts: '2026-11-23T19:00:00.000Z',
};

describe('auto-bid answers and summary', () => {
  it('a 201 is accepted with the bid as the web app stored it', () => {
    assert.deepEqual(bidAnswerOutcome(answer(201, ACCEPTED)), {
      kind: 'accepted',
      bid: { bid_id: 'b1', item: 'Lot 1: Oak vase', name: 'Ada Almeida', price: 120 },
    });
    assert.deepEqual(bidAnswerOutcome(answer(201, { ok: true })), {
      kind: 'error',
      reason: '201 without the bid in its body',
    });
  });

  it('refusals are counted by reason: a 422 by its first field error, 429 rate-limited, 503 by its reason', () => {
    const invalid = answer(422, { error: 'x', errors: [{ field: 'price', rule: 'minimum', message: 'm' }] });
    assert.deepEqual(bidAnswerOutcome(invalid), {
      kind: 'refused',
      reason: '422 price minimum',
      retryAfterSeconds: undefined,
    });
    assert.deepEqual(bidAnswerOutcome(answer(429, {}, { retryAfter: '42' })), {
      kind: 'refused',
      reason: 'rate-limited',
      retryAfterSeconds: 42,
    });
    assert.deepEqual(bidAnswerOutcome(answer(503, { reason: 'busy' }, { retryAfter: '1' })), {
      kind: 'refused',
      reason: '503 busy',
      retryAfterSeconds: 1,
    });
    assert.deepEqual(bidAnswerOutcome(answer(415, {})), {
      kind: 'refused',
      reason: '415',
      retryAfterSeconds: undefined,
    });
  });

  it('no answer or a server error is an error, named', () => {
    const failed = (failure: string): PostedBidAnswer => ({ ...answer(0, ''), body: '', failure });
    assert.deepEqual(bidAnswerOutcome(failed('connect ECONNREFUSED 127.0.0.1:3000')), {
      kind: 'error',
      reason: 'connection refused',
    });
    assert.deepEqual(bidAnswerOutcome(failed('timed out')), { kind: 'error', reason: 'timed out' });
    assert.deepEqual(bidAnswerOutcome(answer(500, {})), { kind: 'error', reason: 'HTTP 500' });
  });

  it('Retry-After is read as seconds or as a date', () => {
    assert.equal(retryAfterSeconds('30'), 30);
    assert.equal(retryAfterSeconds('Mon, 23 Nov 2026 19:00:10 GMT', Date.parse('2026-11-23T19:00:00Z')), 10);
    assert.equal(retryAfterSeconds('soon'), undefined);
    assert.equal(retryAfterSeconds(undefined), undefined);
  });

  it('the summary adds up: sent = accepted + refused + errors, with rates over the time spent sending', () => {
    const tally = new AutobidTally();
    for (let index = 0; index < 6; index++) tally.recordSent();
    tally.recordOutcome({ kind: 'accepted', bid: { bid_id: 'a', item: 'i', name: 'n', price: 1 } }, 10);
    tally.recordOutcome({ kind: 'accepted', bid: { bid_id: 'b', item: 'i', name: 'n', price: 2 } }, 30);
    tally.recordOutcome({ kind: 'refused', reason: 'rate-limited', retryAfterSeconds: 5 }, 20);
    tally.recordOutcome({ kind: 'refused', reason: 'rate-limited', retryAfterSeconds: 5 }, 40);
    tally.recordOutcome({ kind: 'error', reason: 'timed out' }, 10_000);
    tally.recordHeldBack('retry-after');
    assert.equal(tally.inFlight, 1);
    const summary = tally.summary({ url: 'http://x', seed: 1, offeredRate: 4, elapsedSeconds: 2, interrupted: false });
    assert.equal(summary.sent, 6);
    assert.equal(summary.accepted, 2);
    assert.equal(summary.refused, 2);
    assert.deepEqual(summary.refusedByReason, { 'rate-limited': 2 });
    assert.deepEqual(summary.errorsByReason, { 'timed out': 1 });
    assert.deepEqual(summary.notSent, { concurrency: 0, 'retry-after': 1 });
    assert.equal(summary.achievedRate, 3);
    assert.equal(summary.acceptedRate, 1);
    // Latency of the answers had (errors have none): nearest rank over 10, 20, 30, 40.
    assert.deepEqual(summary.latencyMs, { p50: 20, p99: 40, max: 40 });
    assert.deepEqual(
      tally.acceptedBids.map((bid) => bid.bid_id),
      ['a', 'b'],
    );

    const text = summaryText(summary);
    assert.match(text, /sent {7}6 \(3\.0 bids\/s of 4 asked\)/);
    assert.match(text, /refused {4}2 \(rate-limited: 2\)/);
    assert.match(text, /not sent {3}1 \(--concurrency reached: 0, waiting out Retry-After: 1\)/);
  });

  it('a run with nothing answered has no latency, and no rate over no time', () => {
    const summary = new AutobidTally().summary({
      url: 'u',
      seed: 1,
      offeredRate: 1,
      elapsedSeconds: 0,
      interrupted: true,
    });
    assert.deepEqual(summary.latencyMs, { p50: null, p99: null, max: null });
    assert.equal(summary.achievedRate, 0);
    assert.match(summaryText(summary), /interrupted/);
  });

  it('the progress line shows how far the run is and says when --concurrency holds bids back', () => {
    assert.equal(progressBar(0.5), '[##########----------]  50% ');
    assert.equal(progressBar(undefined), '');
    const tally = new AutobidTally();
    tally.recordSent();
    tally.recordHeldBack('concurrency');
    const text = progressText(tally, { done: 1, ratePerSecond: 12.34, concurrency: 8, pausedForRetryAfter: false });
    assert.match(text, /^\[#{20}\] 100% 12\.3 bids\/s, accepted 0, refused 0, errors 0, in flight 1/);
    assert.match(text, /not sent at --concurrency 8: 1/);
  });

  it('the rate limit policy header gives the bids a second allowed', () => {
    assert.equal(allowedBidsPerSecond('120;w=60'), 2);
    assert.equal(allowedBidsPerSecond('"bids"; q=120; w=60'), undefined);
  });
});
