import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'node-rdkafka';
import { deadLetterHeaders, deadLetterRecord, MAX_DETAIL_LENGTH } from '../../workers/runtime/deadLetter';

const source: Message = {
  topic: 'auction',
  partition: 2,
  offset: 41,
  key: Buffer.from('Oak dresser'),
  value: Buffer.from([0x07, 0x00, 0x01]),
  size: 3,
  headers: [{ trace: 'abc' }],
};
const cause = {
  reason: 'not-wire-format' as const,
  detail: 'first byte is 0x07, not the magic byte 0x00',
  sink: 'mysql',
  failedAt: new Date('2025-03-04T05:06:07.089Z'),
};

describe('dead-letter records', () => {
  it('say why, where from and which sink in dlq.* headers', () => {
    assert.deepEqual(deadLetterHeaders(source, cause), [
      { 'dlq.reason': 'not-wire-format' },
      { 'dlq.detail': 'first byte is 0x07, not the magic byte 0x00' },
      { 'dlq.source.topic': 'auction' },
      { 'dlq.source.partition': '2' },
      { 'dlq.source.offset': '41' },
      { 'dlq.sink': 'mysql' },
      { 'dlq.failed.at': '2025-03-04T05:06:07.089Z' },
    ]);
  });

  it('keep the original key, value bytes and headers unchanged', () => {
    const record = deadLetterRecord(source, cause, 'auction.dlq');
    assert.equal(record.topic, 'auction.dlq');
    assert.deepEqual(record.key, Buffer.from('Oak dresser'));
    assert.deepEqual(record.value, Buffer.from([0x07, 0x00, 0x01]));
    assert.deepEqual(record.headers?.[0], { trace: 'abc' });
    assert.equal(record.headers?.length, 8);
  });

  it('cut a very long detail so one header cannot swamp the record', () => {
    const [, detail] = deadLetterHeaders(source, { ...cause, detail: 'x'.repeat(50_000) });
    assert.equal(String(detail!['dlq.detail']).length, MAX_DETAIL_LENGTH);
  });

  it('park a record with no key under no key', () => {
    const record = deadLetterRecord({ ...source, key: undefined }, cause, 'auction.dlq');
    assert.equal(record.key, null);
  });
});
