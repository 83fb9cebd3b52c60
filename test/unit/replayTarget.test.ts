import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReplayForAnotherSink, REPLAY_SINK_HEADER, replayTargetOf } from '../../workers/runtime/replayTarget';

describe('the replay target of a record', () => {
  it('is the sink named by dlq.replay.sink, whether the header arrives as bytes or text', () => {
    assert.equal(replayTargetOf([{ 'trace-id': 'x' }, { [REPLAY_SINK_HEADER]: Buffer.from('mysql') }]), 'mysql');
    assert.equal(replayTargetOf([{ [REPLAY_SINK_HEADER]: 'hive' }]), 'hive');
  });

  it('is nobody in particular for an ordinary record: every sink stores it', () => {
    assert.equal(replayTargetOf(undefined), undefined);
    assert.equal(replayTargetOf([]), undefined);
    assert.equal(replayTargetOf([{ 'dlq.replay.of': 'auction.dlq/0/3' }]), undefined);
    assert.equal(isReplayForAnotherSink(undefined, 'csv'), false);
  });

  it('makes every other sink skip a replay, and only the sink it names store it', () => {
    const headers = [{ [REPLAY_SINK_HEADER]: Buffer.from('mysql') }];
    assert.equal(isReplayForAnotherSink(headers, 'mysql'), false);
    assert.equal(isReplayForAnotherSink(headers, 'csv'), true);
    assert.equal(isReplayForAnotherSink(headers, 'hive'), true);
  });
});
