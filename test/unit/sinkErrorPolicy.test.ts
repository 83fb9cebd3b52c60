import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../lib/env';
import type { MessageHeader } from 'node-rdkafka';
import { RegistryUnavailableError } from '../../lib/registry/bidCodec';
import { classifyFailure, KafkaUnavailableError } from '../../workers/runtime/errorPolicy';
import { isReplayForAnotherSink, replayTargetOf } from '../../workers/runtime/replayTarget';
import { StoreRefusedError, TransientSinkError } from '../../workers/runtime/sink';
import { AssignmentLostError } from '../../workers/runtime/sinkContext';

describe('the sink error policy', () => {
  it('waits out a store, the registry or Kafka', () => {
    assert.deepEqual(classifyFailure(new TransientSinkError('down'), 'mysql'), { kind: 'transient', awaited: 'mysql' });
    assert.deepEqual(classifyFailure(new RegistryUnavailableError('502'), 'mysql'), {
      kind: 'transient',
      awaited: 'the schema registry',
    });
    assert.deepEqual(classifyFailure(new KafkaUnavailableError('no leader'), 'csv'), {
      kind: 'transient',
      awaited: 'Kafka',
    });
  });

  it('isolates data the store refuses', () => {
    const error = new StoreRefusedError('Data too long');
    assert.deepEqual(classifyFailure(error, 'mysql'), { kind: 'refused', error });
  });

  it('holds a batch back when the assignment is in doubt', () => {
    assert.equal(classifyFailure(new AssignmentLostError('stalled'), 'hive').kind, 'assignment-lost');
  });

  it('stops on a configuration fault, and on anything nobody planned for', () => {
    assert.deepEqual(classifyFailure(new ConfigError('MYSQL_URL', 'names no table'), 'mysql'), {
      kind: 'stop',
      configuration: true,
    });
    assert.deepEqual(classifyFailure(new TypeError('x is undefined'), 'mysql'), { kind: 'stop', configuration: false });
  });
});

describe('a replayed dead letter', () => {
  it('is meant for the sink named in its header and skipped by the others', () => {
    const headers: MessageHeader[] = [{ 'bid.source': 'web' }, { 'dlq.replay.sink': Buffer.from('csv') }];
    assert.equal(replayTargetOf(headers), 'csv');
    assert.equal(isReplayForAnotherSink(headers, 'csv'), false);
    assert.equal(isReplayForAnotherSink(headers, 'mysql'), true);
  });

  it('is an ordinary record, stored by every sink, when it has no replay header', () => {
    assert.equal(replayTargetOf(undefined), undefined);
    assert.equal(isReplayForAnotherSink([{ other: 'x' }], 'mysql'), false);
  });
});
