import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Message } from 'node-rdkafka';
import type { UndecodableReason } from '../../lib/registry/bidCodec';
import { deadLetterRecord } from '../../workers/runtime/deadLetter';
import { BidStream, sampleBid } from '../support/bidStream';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { runOperatorCommand } from '../support/operatorCommand';
import { headerOf, readTopic } from '../support/readTopic';

interface Planted {
  sink: string;
  reason: UndecodableReason;
  key: string;
  value: Buffer;
  bidId?: string;
}

describe('npm run dlq', () => {
  let topic: string;
  let deadLetterTopic: string;
  let stream: BidStream;
  let env: Record<string, string>;
  let planted: Planted[];
  before(async () => {
    topic = await createTestTopic('dlq-cmd-source', 2);
    deadLetterTopic = await createTestTopic('dlq-cmd-parked', 2);
    env = { KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: deadLetterTopic };
    stream = await BidStream.open();
    const first = sampleBid(1);
    const second = sampleBid(2);
    planted = [
      {
        sink: 'mysql',
        reason: 'schema-violation',
        key: first.item,
        value: stream.codec.encode(first),
        bidId: first.bid_id,
      },
      {
        sink: 'csv',
        reason: 'unknown-schema-id',
        key: second.item,
        value: stream.codec.encode(second),
        bidId: second.bid_id,
      },
      { sink: 'mysql', reason: 'invalid-json', key: 'broken', value: Buffer.from('{"bid_id": ') },
    ];
    // Each dead letter names a source record at partition 1, offset 10 + i, and carries an own header.
    for (const [i, letter] of planted.entries()) {
      const source: Message = {
        topic,
        partition: 1,
        offset: 10 + i,
        key: Buffer.from(letter.key),
        value: letter.value,
        size: letter.value.length,
        headers: [{ 'trace-id': `trace-${i}` }],
      };
      await stream.sendRaw(
        deadLetterRecord(source, { ...letter, detail: `detail ${i}`, failedAt: new Date() }, deadLetterTopic),
      );
    }
  });
  after(async () => {
    await stream.close();
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
  });

  it('lists every dead letter with its sink, reason, source and bid id, and counts them by reason and sink', async () => {
    const all = await runOperatorCommand('scripts/dlq.js', ['list'], env);
    assert.equal(all.code, 0, all.stderr);
    for (const [i, letter] of planted.entries()) {
      const line = all.stdout.split('\n').find((text) => text.includes(`source=${topic}/1/${10 + i}`));
      assert.ok(line, `a line for dead letter ${i}: ${all.stdout}`);
      assert.match(line, new RegExp(`^${deadLetterTopic}/\\d/\\d+  sink=${letter.sink}  reason=${letter.reason}`));
      assert.match(line, new RegExp(`bid=${letter.bidId ?? '-'}`));
      assert.match(line, new RegExp(`detail=detail ${i}$`));
    }
    assert.match(all.stdout, /^3 dead letter\(s\)$/m);
    assert.match(all.stdout, /^by reason: invalid-json 1, schema-violation 1, unknown-schema-id 1$/m);
    assert.match(all.stdout, /^by sink: csv 1, mysql 2$/m);

    const mysqlOnly = await runOperatorCommand('scripts/dlq.js', ['list', '--sink', 'mysql', '--limit', '1'], env);
    assert.equal(mysqlOnly.code, 0, mysqlOnly.stderr);
    assert.equal(mysqlOnly.stdout.split('\n').filter((text) => text.includes('sink=')).length, 1);
    assert.match(mysqlOnly.stdout, /^2 dead letter\(s\); 1 shown \(--limit\)$/m);

    const json = await runOperatorCommand('scripts/dlq.js', ['list', '--reason', 'unknown-schema-id', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const answer = JSON.parse(json.stdout) as {
      deadLetters: { sink: string; bidId: string | null; source: { offset: number } }[];
      summary: { total: number };
    };
    assert.equal(answer.summary.total, 1);
    assert.deepEqual(
      answer.deadLetters.map((letter) => [letter.sink, letter.bidId, letter.source.offset]),
      [['csv', planted[1]!.bidId, 11]],
    );
  });

  it('replays the selected dead letters once, with their original bytes and headers and the replay headers, and never again', async () => {
    const refused = await runOperatorCommand('scripts/dlq.js', ['replay'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /say which dead letters to replay with --sink, --reason or --offset/);

    const dryRun = await runOperatorCommand('scripts/dlq.js', ['replay', '--sink', 'mysql', '--dry-run'], env);
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.match(dryRun.stdout, /dry run: 2 dead letter\(s\) would be replayed; nothing was produced/);
    assert.equal((await readTopic(topic, 1, 3_000)).length, 0, 'a dry run produces nothing');

    const replay = await runOperatorCommand('scripts/dlq.js', ['replay', '--sink', 'mysql'], env);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /^2 dead letter\(s\) replayed$/m);
    const replayed = await readTopic(topic, 3, 5_000);
    assert.equal(replayed.length, 2, 'exactly the two mysql dead letters reach the source topic');
    for (const [i, letter] of planted.entries()) {
      if (letter.sink !== 'mysql') continue;
      const record = replayed.find((message) => message.key?.toString() === letter.key);
      assert.ok(record, `replay of dead letter ${i}`);
      assert.deepEqual(record.value, letter.value, 'original bytes');
      assert.equal(headerOf(record, 'trace-id'), `trace-${i}`, 'original headers kept');
      assert.equal(headerOf(record, 'dlq.replay.sink'), 'mysql');
      assert.match(headerOf(record, 'dlq.replay.of') ?? '', new RegExp(`^${deadLetterTopic}/\\d/\\d+$`));
      assert.equal(headerOf(record, 'dlq.reason'), undefined, 'no dead-letter headers');
    }

    const again = await runOperatorCommand('scripts/dlq.js', ['replay', '--sink', 'mysql'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^0 dead letter\(s\) replayed, 2 already replayed before$/m);
    assert.equal((await readTopic(topic, 3, 5_000)).length, 2, 'the second run replays nothing');

    const listed = await runOperatorCommand('scripts/dlq.js', ['list'], env);
    assert.match(listed.stdout, /^1 dead letter\(s\)$/m);
    assert.match(listed.stdout, /^2 replayed dead letter\(s\) not listed; --all lists them too$/m);
    const everything = await runOperatorCommand('scripts/dlq.js', ['list', '--all'], env);
    assert.match(everything.stdout, /^3 dead letter\(s\), 2 of them replayed$/m);
    assert.equal(everything.stdout.split('\n').filter((text) => text.includes(`replayed=${topic}/`)).length, 2);
  });
});
