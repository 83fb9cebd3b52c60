import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeliveryReportPolling } from '../../lib/kafka/deliveryReportPolling';

describe('DeliveryReportPolling', () => {
  it('polls at once when a record is queued, then every millisecond while any is in flight', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    let polls = 0;
    const polling = new DeliveryReportPolling(
      () => polls++,
      () => assert.fail('poll did not fail'),
    );
    polling.recordQueued();
    assert.equal(polls, 1, 'polled right after produce');
    polling.recordQueued();
    assert.equal(polls, 2);
    t.mock.timers.tick(5);
    assert.equal(polls, 7, 'one poll per millisecond, from one interval however many records');
    polling.recordSettled();
    t.mock.timers.tick(3);
    assert.equal(polls, 10, 'still polling: one record is in flight');
    polling.recordSettled();
    assert.equal(polling.isPolling, false);
    t.mock.timers.tick(1_000);
    assert.equal(polls, 10, 'nothing in flight, nothing polled');
  });

  it('stops polling and says why once the producer cannot be polled', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const failures: unknown[] = [];
    const polling = new DeliveryReportPolling(
      () => {
        throw new Error('Producer not connected');
      },
      (error) => failures.push(error),
    );
    polling.recordQueued();
    t.mock.timers.tick(10);
    assert.equal(polling.isPolling, false);
    assert.equal(failures.length, 1);
    assert.match(String(failures[0]), /not connected/);
  });
});
