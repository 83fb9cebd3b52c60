import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPositionVector, parsePositionVector } from '../../web/live/positionVector';

describe('live event ids (position vectors)', () => {
  it('are partition:nextOffset pairs in partition order joined by dots', () => {
    assert.equal(
      formatPositionVector(
        new Map([
          [2, 1201],
          [0, 1043],
          [1, 998],
        ]),
      ),
      '0:1043.1:998.2:1201',
    );
  });

  it('read back to the same positions', () => {
    assert.deepEqual(
      parsePositionVector('0:1043.1:998.2:1201'),
      new Map([
        [0, 1043],
        [1, 998],
        [2, 1201],
      ]),
    );
  });

  for (const foreign of ['', 'abc', '0:1.', '0:1.0:2', '0:-1', '0=1', '0:1;1:2', '1:2:3', 'x'.repeat(20_000)]) {
    it(`are not read from ${JSON.stringify(foreign.slice(0, 20))}`, () => {
      assert.equal(parsePositionVector(foreign), undefined);
    });
  }
});
