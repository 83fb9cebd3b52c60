import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGroupInactive } from '../../lib/kafka/groupMembers';
import { resetCommandFor } from '../../workers/reset/resetCommand';
import { PositionBeyondEndError } from '../../workers/runtime/positionCheck';
import { describeResetTarget, parseResetTarget } from '../../workers/reset/resetTarget';

describe('sink:reset options', () => {
  it('reads earliest, latest and ISO times with a zone', () => {
    assert.deepEqual(parseResetTarget('earliest'), { kind: 'earliest' });
    assert.deepEqual(parseResetTarget(' latest '), { kind: 'latest' });
    assert.deepEqual(parseResetTarget('2026-01-31T12:00:00Z'), {
      kind: 'time',
      at: new Date(Date.UTC(2026, 0, 31, 12)),
    });
    assert.equal(describeResetTarget(parseResetTarget('2026-01-31T13:30:00.250+01:00')), '2026-01-31T12:30:00.250Z');
    assert.equal(describeResetTarget(parseResetTarget('2026-01-31')), '2026-01-31T00:00:00.000Z');
  });

  it('refuses a missing target, a word it does not know, a time without a zone and an impossible date', () => {
    assert.throws(() => parseResetTarget(undefined), /--to is required/);
    assert.throws(() => parseResetTarget('beginning'), /--to must be earliest, latest, or an ISO time/);
    assert.throws(() => parseResetTarget('2026-01-31T12:00:00'), /--to must be/);
    assert.throws(() => parseResetTarget('2026-02-31T25:00:00Z'), /not a real date|--to must be/);
  });

  it('names the reset command a stopped worker tells the operator to run', () => {
    assert.equal(resetCommandFor('hive'), 'npm run sink:reset -- --sink hive --to earliest');
    assert.ok(
      new PositionBeyondEndError('hive', 'auction', 0, 10, 0).message.includes(resetCommandFor('hive')),
      'the worker names this very command',
    );
    assert.equal(
      resetCommandFor('mysql', { to: 'latest', group: 'mysql-sink-b', topic: 'auction2' }),
      'npm run sink:reset -- --sink mysql --to latest --topic auction2 --group mysql-sink-b',
    );
  });

  it('counts a group as idle only when it is Empty or Dead with no members', () => {
    assert.equal(isGroupInactive({ state: 'Empty', members: [] }), true);
    assert.equal(isGroupInactive({ state: 'Dead', members: [] }), true);
    assert.equal(isGroupInactive({ state: 'Stable', members: [{ clientId: 'mysql-sink', host: '/10.0.0.1' }] }), false);
    assert.equal(isGroupInactive({ state: 'PreparingRebalance', members: [] }), false);
  });
});
