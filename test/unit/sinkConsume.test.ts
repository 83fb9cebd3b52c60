import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BESIDE_WORK_TIMEOUT_MS,
  consumeCallFor,
  GATHER_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
} from '../../workers/runtime/consumeCall';
import { ConsumeChunk, consumeBudgetFor, MIN_CONSUME_CHUNK } from '../../workers/runtime/consumeChunk';

describe('the consume chunk', () => {
  it('grows to the whole batch room while full calls come back within the budget (a backlog)', () => {
    const chunk = new ConsumeChunk(50);
    for (let call = 0; call < 20; call++) {
      const asked = chunk.size(5000);
      chunk.observe(asked, asked, 2);
    }
    assert.equal(chunk.size(5000), 5000);
    assert.equal(chunk.size(1200), 1200, 'never more than the room left');
  });

  it('shrinks while full calls take longer than the budget (a steady flow that never pauses)', () => {
    const chunk = new ConsumeChunk(50);
    for (let call = 0; call < 10; call++) chunk.observe(chunk.size(5000), chunk.size(5000), 2);
    assert.equal(chunk.size(5000), 5000);
    chunk.observe(5000, 5000, 400);
    assert.equal(chunk.size(5000), 2500);
    for (let call = 0; call < 20; call++) chunk.observe(chunk.size(5000), chunk.size(5000), 400);
    assert.equal(chunk.size(5000), MIN_CONSUME_CHUNK);
  });

  it('is left alone by a call that came back short, which says nothing about the rate', () => {
    const chunk = new ConsumeChunk(50);
    const before = chunk.size(5000);
    chunk.observe(before, 1, 100);
    assert.equal(chunk.size(5000), before);
  });

  it('asks for at least one record, even with no room (a paused, full batch)', () => {
    assert.equal(new ConsumeChunk(50).size(0), 1);
  });

  it('gives a full call a budget of half the linger, within 5 to 50 ms', () => {
    assert.equal(consumeBudgetFor(100), 50);
    assert.equal(consumeBudgetFor(40), 20);
    assert.equal(consumeBudgetFor(0), 5);
    assert.equal(consumeBudgetFor(2000), 50);
  });
});

describe('the shape of a consume call', () => {
  it('asks for one record with a long wait while nothing is gathered: it comes back the moment one arrives', () => {
    assert.deepEqual(consumeCallFor('gather', true, 5000), { count: 1, timeoutMs: IDLE_TIMEOUT_MS, chunked: false });
  });

  it('then asks for a chunk with a short wait, so it comes back as soon as nothing more is buffered', () => {
    assert.deepEqual(consumeCallFor('gather', false, 5000), {
      count: 5000,
      timeoutMs: GATHER_TIMEOUT_MS,
      chunked: true,
    });
    assert.ok(GATHER_TIMEOUT_MS < IDLE_TIMEOUT_MS);
  });

  it('polls beside a write with a short wait, so the end of the write is seen soon', () => {
    assert.equal(consumeCallFor('beside-work', true, 300).timeoutMs, BESIDE_WORK_TIMEOUT_MS);
    assert.equal(consumeCallFor('beside-work', false, 300).count, 300);
  });

  it('polls with the long wait while waiting out a failure, so an outage is not a busy loop', () => {
    assert.equal(consumeCallFor('wait', false, 300).timeoutMs, IDLE_TIMEOUT_MS);
  });
});
