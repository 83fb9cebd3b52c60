import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resetCommandFor } from '../../workers/reset/resetCommand';
import { checkStoredPosition, PositionBeyondEndError } from '../../workers/runtime/positionCheck';

describe('a stored position checked against the partition watermarks', () => {
  it('is in range anywhere from the first record held to the next offset to be written', () => {
    assert.deepEqual(checkStoredPosition(0, { low: 0, high: 0 }), { kind: 'in-range' });
    assert.deepEqual(checkStoredPosition(5, { low: 5, high: 9 }), { kind: 'in-range' });
    assert.deepEqual(checkStoredPosition(9, { low: 5, high: 9 }), { kind: 'in-range' });
  });

  it('is beyond the end when the topic was recreated under the sink', () => {
    assert.deepEqual(checkStoredPosition(1200, { low: 0, high: 40 }), { kind: 'beyond-end', end: 40 });
  });

  it('is before the start when retention removed records, and says how many', () => {
    assert.deepEqual(checkStoredPosition(100, { low: 250, high: 300 }), {
      kind: 'before-start',
      start: 250,
      removed: 150,
    });
  });

  it('stops with one line naming the sink, partition, stored and end offsets and the reset command', () => {
    const message = new PositionBeyondEndError('mysql', 'auction', 2, 1200, 40).message;
    assert.doesNotMatch(message, /\n/);
    for (const part of ['mysql sink', 'position 1200', 'partition 2', 'ends at 40', resetCommandFor('mysql')]) {
      assert.ok(message.includes(part), `${part} in: ${message}`);
    }
  });
});
