import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'node-rdkafka';
import { writeWireFrame } from '../../lib/registry/wireFormat';
import { bidIdOf, readDeadLetterTopicRecord, type DeadLetter } from '../../workers/dlq/deadLetterEntry';
import { deadLetterLine, summaryLines } from '../../workers/dlq/deadLetterListing';
import { matchesFilter, parseDeadLetterPosition, replaysById, summarize } from '../../workers/dlq/deadLetterSelection';
import { replayMarkerOf, replayRecordOf } from '../../workers/dlq/replayRecord';
import { deadLetterRecord } from '../../workers/runtime/deadLetter';

const BID_ID = '4b0f7c3e-2a61-4d8e-9b55-0e4c1f0a9d11';

function parked(offset: number, sink: string, reason: 'invalid-json' | 'schema-violation', value: Buffer): Message {
  const source: Message = {
    topic: 'auction',
    partition: 2,
    offset: 40 + offset,
    key: Buffer.from('Oak dresser'),
    value,
    size: value.length,
    headers: [{ 'trace-id': 't-1' }],
  };
  const record = deadLetterRecord(source, { reason, detail: 'why', sink, failedAt: new Date(0) }, 'auction.dlq');
  return { ...record, key: record.key as Buffer, partition: 1, offset, size: record.value.length };
}

function letterOf(message: Message): DeadLetter {
  const read = readDeadLetterTopicRecord(message);
  assert.equal(read.kind, 'dead-letter');
  return (read as { deadLetter: DeadLetter }).deadLetter;
}

describe('dead letters read back from the dead-letter topic', () => {
  const bid = Buffer.from(JSON.stringify({ bid_id: BID_ID, item: 'Oak dresser' }));
  const mysqlLetter = letterOf(parked(5, 'mysql', 'schema-violation', writeWireFrame(7, bid)));
  const csvLetter = letterOf(parked(6, 'csv', 'invalid-json', Buffer.from('{"bid_id": ')));

  it('keep where they sit, whose they are, why, where they came from, and the bid id when the value has one', () => {
    assert.equal(mysqlLetter.id, 'auction.dlq/1/5');
    assert.deepEqual([mysqlLetter.sink, mysqlLetter.reason, mysqlLetter.detail], ['mysql', 'schema-violation', 'why']);
    assert.deepEqual(mysqlLetter.source, { topic: 'auction', partition: 2, offset: 45 });
    assert.equal(mysqlLetter.failedAt, '1970-01-01T00:00:00.000Z');
    assert.equal(mysqlLetter.bidId, BID_ID);
    assert.equal(csvLetter.bidId, undefined);
    assert.equal(bidIdOf(bid), BID_ID, 'plain JSON too');
    assert.deepEqual(mysqlLetter.originalHeaders, [{ 'trace-id': 't-1' }]);
  });

  it('are told apart from replay markers and from records with no dlq headers', () => {
    const marker = replayMarkerOf(
      mysqlLetter,
      'auction.dlq',
      { topic: 'auction', partition: 2, offset: 99 },
      new Date(0),
    );
    const read = readDeadLetterTopicRecord({ ...marker, key: null, partition: 1, offset: 9, size: 0 });
    assert.deepEqual(read, {
      kind: 'replay-marker',
      marker: { of: 'auction.dlq/1/5', to: 'auction/2/99', at: '1970-01-01T00:00:00.000Z' },
    });
    const stray = readDeadLetterTopicRecord({ topic: 'auction.dlq', partition: 0, offset: 3, value: null, size: 0 });
    assert.deepEqual(stray, { kind: 'unknown', id: 'auction.dlq/0/3' });
  });

  it('are selected by sink, reason and position, any of each list', () => {
    const none = { sinks: [], reasons: [], positions: [] };
    assert.equal(matchesFilter(mysqlLetter, none), true);
    assert.equal(matchesFilter(mysqlLetter, { ...none, sinks: ['csv'] }), false);
    assert.equal(matchesFilter(csvLetter, { ...none, sinks: ['csv'], reasons: ['invalid-json'] }), true);
    assert.equal(matchesFilter(mysqlLetter, { ...none, positions: [parseDeadLetterPosition('1:05')] }), true);
    assert.throws(() => parseDeadLetterPosition('1/5'), /--offset must be <dlq partition>:<offset>/);
  });

  it('are counted by reason and sink, with the replayed ones said', () => {
    const replays = replaysById([{ of: 'auction.dlq/1/5', to: 'auction/2/99', at: 'then' }]);
    const summary = summarize([mysqlLetter, csvLetter], replays);
    assert.deepEqual(summary, {
      total: 2,
      replayed: 1,
      byReason: { 'invalid-json': 1, 'schema-violation': 1 },
      bySink: { csv: 1, mysql: 1 },
    });
    assert.deepEqual(summaryLines(summary, 0, 2), [
      '2 dead letter(s), 1 of them replayed',
      'by reason: invalid-json 1, schema-violation 1',
      'by sink: csv 1, mysql 1',
    ]);
    assert.match(deadLetterLine(mysqlLetter, replays.get(mysqlLetter.id)), /replayed=auction\/2\/99 at then/);
  });

  it('are replayed with the original key, value and headers, for the sink that refused them', () => {
    const record = replayRecordOf(mysqlLetter);
    assert.equal(record.topic, 'auction');
    assert.deepEqual(record.key, Buffer.from('Oak dresser'));
    assert.deepEqual(record.value, mysqlLetter.value);
    assert.deepEqual(record.headers, [
      { 'trace-id': 't-1' },
      { 'dlq.replay.sink': 'mysql' },
      { 'dlq.replay.of': 'auction.dlq/1/5' },
    ]);
  });
});
