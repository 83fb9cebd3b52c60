import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventHistory } from '../../web/live/eventHistory';
import type { RecordFrames } from '../../web/live/liveEvent';

function record(partition: number, offset: number): RecordFrames {
  return {
    partition,
    offset,
    id: `${partition}:${offset + 1}`,
    frames: [{ item: 'lot', text: `${partition}/${offset}` }],
  };
}

const positions = (...entries: [number, number][]) => new Map(entries);
const where = (records: RecordFrames[]) => records.map((r) => `${r.partition}/${r.offset}`);

describe('the live event history', () => {
  it('replays the records at or after each partition’s position, in the order they were read', () => {
    const history = new EventHistory(10, positions([0, 5], [1, 7]));
    for (const [p, o] of [
      [0, 5],
      [1, 7],
      [0, 6],
      [1, 8],
      [0, 7],
    ] as const)
      history.append(record(p, o));
    const catchup = history.catchUp(positions([0, 6], [1, 8]));
    assert.equal(catchup.kind, 'replay');
    assert.deepEqual(where(catchup.kind === 'replay' ? catchup.records : []), ['0/6', '1/8', '0/7']);
  });

  it('replays nothing to a client that has seen everything, or is ahead of this instance', () => {
    const history = new EventHistory(10, positions([0, 0]));
    history.append(record(0, 0));
    assert.deepEqual(history.catchUp(positions([0, 1])), { kind: 'replay', records: [] });
    assert.deepEqual(history.catchUp(positions([0, 9])), { kind: 'replay', records: [] });
  });

  it('answers reset once a record the client missed has been let go', () => {
    const history = new EventHistory(2, positions([0, 0], [1, 0]));
    history.append(record(0, 0));
    history.append(record(1, 0));
    history.append(record(0, 1)); // lets 0/0 go
    assert.deepEqual(history.catchUp(positions([0, 0], [1, 0])), { kind: 'reset' });
    const fromOne = history.catchUp(positions([0, 1], [1, 0]));
    assert.deepEqual(where(fromOne.kind === 'replay' ? fromOne.records : []), ['1/0', '0/1']);
  });

  it('answers reset to a vector from before this instance started', () => {
    const history = new EventHistory(10, positions([0, 100]));
    assert.deepEqual(history.catchUp(positions([0, 99])), { kind: 'reset' });
    assert.deepEqual(history.catchUp(new Map()), { kind: 'reset' });
  });

  it('covers a partition added later from where it started', () => {
    const history = new EventHistory(10, positions([0, 3]));
    history.addPartition(1, 0);
    history.append(record(1, 0));
    const catchup = history.catchUp(positions([0, 3]));
    assert.deepEqual(where(catchup.kind === 'replay' ? catchup.records : []), ['1/0']);
  });
});
