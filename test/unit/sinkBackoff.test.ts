import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay } from '../../workers/runtime/backoff';

const bounds = { minMs: 500, maxMs: 30_000 };

describe('retry backoff', () => {
  it('waits the minimum when the jitter draws zero, whatever the attempt', () => {
    for (const attempt of [1, 2, 5, 20])
      assert.equal(
        backoffDelay(attempt, bounds, () => 0),
        500,
      );
  });

  it('doubles its ceiling with each attempt until the maximum', () => {
    const almostOne = (): number => 0.999999;
    assert.equal(backoffDelay(1, bounds, almostOne), 500);
    assert.equal(backoffDelay(2, bounds, almostOne), 1000);
    assert.equal(backoffDelay(3, bounds, almostOne), 2000);
    assert.equal(backoffDelay(7, bounds, almostOne), 30_000);
    assert.equal(backoffDelay(60, bounds, almostOne), 30_000, 'a long outage never overflows past the maximum');
  });

  it('spreads retries across the whole window (full jitter), never outside it', () => {
    const delays = Array.from({ length: 2000 }, () => backoffDelay(5, bounds));
    assert.ok(delays.every((delay) => delay >= 500 && delay <= 8000));
    assert.ok(Math.min(...delays) < 1500, 'some retries come early');
    assert.ok(Math.max(...delays) > 7000, 'some retries come late');
    assert.ok(new Set(delays).size > 500, 'workers do not retry in step');
  });
});
