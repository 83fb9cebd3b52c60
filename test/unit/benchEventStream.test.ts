import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStreamParser } from '../../bench/eventStream';

const STREAM =
  'retry: 2000\n\n' +
  ': heartbeat\n\n' +
  'id: 0:1043.1:998\nevent: bid\ndata: {"bid":{"bid_id":"a"},"kafka":{"partition":0,"offset":1042}}\n\n' +
  'id: 0:1043.1:998\nevent: highest\ndata: {"scope":"item"}\n\n';

describe('reading a text/event-stream', () => {
  it('reads the contract stream as events with their type, data and id, skipping retry and heartbeats', () => {
    const events = new EventStreamParser().push(STREAM);
    assert.deepEqual(events, [
      {
        type: 'bid',
        data: '{"bid":{"bid_id":"a"},"kafka":{"partition":0,"offset":1042}}',
        lastEventId: '0:1043.1:998',
      },
      { type: 'highest', data: '{"scope":"item"}', lastEventId: '0:1043.1:998' },
    ]);
  });

  it('gives the same events however the stream is cut into chunks, CRLF line ends included', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    const whole = new EventStreamParser().push(crlf);
    for (let size = 1; size <= 7; size++) {
      const parser = new EventStreamParser();
      const events = [];
      for (let start = 0; start < crlf.length; start += size)
        events.push(...parser.push(crlf.slice(start, start + size)));
      assert.deepEqual(events, whole, `chunks of ${size}`);
    }
  });

  it('joins several data lines with a line feed and defaults the type to message', () => {
    assert.deepEqual(new EventStreamParser().push('data: one\ndata:two\n\n'), [
      { type: 'message', data: 'one\ntwo', lastEventId: '' },
    ]);
  });

  it('keeps an event back until the blank line that ends it arrives', () => {
    const parser = new EventStreamParser();
    assert.deepEqual(parser.push('event: bid\ndata: {}\n'), []);
    assert.equal(parser.push('\n').length, 1);
  });
});
