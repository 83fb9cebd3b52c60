import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createHiveSink } from '../../workers/hive/hiveSink';
import type { SinkRecord } from '../../workers/runtime/sink';
import { BidStream, sampleBid } from '../support/bidStream';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, createTopicNamed, deleteTestTopic } from '../support/kafkaTopics';
import { runOperatorCommand } from '../support/operatorCommand';
import { testSinkContext } from '../support/sinkContext';

function records(topic: string, partition: number, from: number, count: number): SinkRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    bid: sampleBid(from + i),
    extra: {},
    schemaId: 1,
    topic,
    partition,
    offset: from + i,
  }));
}

describe('sink:reset for the Hive sink', () => {
  let topic: string;
  let table: TestHiveTable;
  let stream: BidStream;
  before(async () => {
    topic = await createTestTopic('reset-hive', 2);
    table = await createTestHiveTable('reset_hive');
    stream = await BidStream.open();
  });
  after(async () => {
    await stream.close();
    await deleteTestTopic(topic);
    await table.drop();
  });

  it('makes the sink resume at the start of a recreated topic although the table holds higher offsets of the old one', async () => {
    const env = { HIVE_TABLE: table.name, KAFKA_TOPIC: topic };
    const context = testSinkContext(env, { topic });
    const sink = createHiveSink(context);
    await sink.start();
    try {
      await sink.write({
        records: [...records(topic, 0, 0, 12), ...records(topic, 1, 0, 5)],
        positions: new Map([
          [0, 12],
          [1, 5],
        ]),
      });
      assert.deepEqual(
        await sink.open(topic, [0, 1]),
        new Map([
          [0, 12],
          [1, 5],
        ]),
      );
    } finally {
      await sink.stop();
    }

    // The topic is deleted and created again: its offsets start at 0 once more.
    await deleteTestTopic(topic);
    await createTopicNamed(topic, 2);
    await stream.sendBids(topic, [sampleBid(100), sampleBid(101)]);

    const group = `reset-hive-${randomUUID().slice(0, 8)}`;
    const result = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'hive', '--to', 'earliest'], {
      ...env,
      SINK_CONSUMER_GROUP: group,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /partition 0: 12 → 0/);
    assert.match(result.stdout, /partition 1: 5 → 0/);

    const reopened = createHiveSink(context);
    await reopened.start();
    try {
      assert.deepEqual(
        await reopened.open(topic, [0, 1]),
        new Map([
          [0, 0],
          [1, 0],
        ]),
        'resumes at the start of the new topic',
      );
      // What it writes after the reset counts: it resumes after its new bids, not the old ones.
      await reopened.write({ records: records(topic, 0, 0, 2), positions: new Map([[0, 2]]) });
      assert.deepEqual(await reopened.open(topic, [0]), new Map([[0, 2]]));
    } finally {
      await reopened.stop();
    }
  });
});
