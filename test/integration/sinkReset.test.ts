import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type mysql from 'mysql2/promise';
import { CSV_HEADER } from '../../workers/csv/csvFormat';
import { readCheckpoint, writeCheckpoint } from '../../workers/csv/checkpoint';
import { WriterLock } from '../../workers/csv/writerLock';
import { createLogger } from '../../lib/logger';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { committedOffsets } from '../support/groupOffsets';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { runOperatorCommand } from '../support/operatorCommand';
import { readTopic } from '../support/readTopic';

const PARTITIONS = [0, 1];

/** Each partition's offset for "the first record at or after `at`", worked out from the records themselves. */
function expectedAt(records: { partition: number; offset: number; timestamp?: number }[], at: number) {
  const answer = new Map<number, number>();
  for (const partition of PARTITIONS) {
    const mine = records.filter((r) => r.partition === partition).sort((a, b) => a.offset - b.offset);
    const first = mine.find((r) => (r.timestamp ?? 0) >= at);
    answer.set(partition, first ? first.offset : mine.length);
  }
  return answer;
}

describe('sink:reset', () => {
  let topic: string;
  let stream: BidStream;
  /** Offsets per partition: the end of each, and where records from `midpoint` on start. */
  let ends: Map<number, number>;
  let midpoint: Date;
  let atMidpoint: Map<number, number>;
  before(async () => {
    topic = await createTestTopic('sink-reset', PARTITIONS.length);
    stream = await BidStream.open();
    await stream.sendBids(
      topic,
      Array.from({ length: 8 }, (_, i) => sampleBid(i)),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    midpoint = new Date();
    await stream.sendBids(
      topic,
      Array.from({ length: 8 }, (_, i) => sampleBid(i)),
    );
    const records = await readTopic(topic, 16);
    assert.equal(records.length, 16);
    ends = new Map(PARTITIONS.map((p) => [p, records.filter((r) => r.partition === p).length]));
    atMidpoint = expectedAt(records, midpoint.getTime());
    assert.ok(
      [...atMidpoint.values()].some((offset) => offset > 0),
      'some records came before the midpoint',
    );
  });
  after(async () => {
    await stream.close();
    await deleteTestTopic(topic);
  });

  describe('for the MySQL sink', () => {
    let database: TestDatabase;
    let group: string;
    let env: Record<string, string>;
    before(async () => {
      database = await createTestDatabase();
      group = `reset-mysql-${randomUUID().slice(0, 8)}`;
      env = { MYSQL_URL: database.url, KAFKA_TOPIC: topic, SINK_CONSUMER_GROUP: group };
    });
    after(async () => {
      await database.drop();
    });

    async function storedPositions(): Promise<Map<number, number>> {
      const [rows] = await database.pool.query<mysql.RowDataPacket[]>(
        'SELECT kafka_partition, next_offset FROM sink_offsets WHERE consumer_group = ? AND topic = ?',
        [group, topic],
      );
      return new Map(rows.map((row) => [Number(row.kafka_partition), Number(row.next_offset)]));
    }

    it('moves the stored positions to the end, back to the start, and to a moment, printing each move and committing it to the group', async () => {
      await database.pool.query(
        'INSERT INTO sink_offsets (consumer_group, topic, kafka_partition, next_offset) VALUES (?, ?, 0, 1)',
        [group, topic],
      );

      const latest = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'mysql', '--to', 'latest'], env);
      assert.equal(latest.code, 0, latest.stderr);
      assert.deepEqual(await storedPositions(), ends);
      assert.match(latest.stdout, new RegExp(`partition 0: 1 → ${ends.get(0)}`));
      assert.match(latest.stdout, new RegExp(`partition 1: none → ${ends.get(1)}`));
      assert.deepEqual(await committedOffsets(group, topic, PARTITIONS), ends);

      const earliest = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'mysql', '--to', 'earliest'], env);
      assert.equal(earliest.code, 0, earliest.stderr);
      assert.deepEqual(
        await storedPositions(),
        new Map([
          [0, 0],
          [1, 0],
        ]),
        'moved backwards, past the only-forward rule of the running sink',
      );
      assert.match(earliest.stdout, new RegExp(`partition 1: ${ends.get(1)} → 0`));

      const atTime = await runOperatorCommand(
        'scripts/sinkReset.js',
        ['--sink', 'mysql', '--to', midpoint.toISOString()],
        env,
      );
      assert.equal(atTime.code, 0, atTime.stderr);
      assert.deepEqual(await storedPositions(), atMidpoint);
      assert.deepEqual(await committedOffsets(group, topic, PARTITIONS), atMidpoint);
    });

    it('refuses, changing nothing, while a worker of the group runs, and goes ahead once it has stopped', async () => {
      await database.pool.query('UPDATE sink_offsets SET next_offset = 0 WHERE consumer_group = ?', [group]);
      const worker = new SinkWorkerProcess('mysql', env);
      try {
        await worker.waitForLog((line) => line.msg === 'partitions assigned');
        const refused = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'mysql', '--to', 'earliest'], env);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, new RegExp(`consumer group ${group} is \\w+ with 1 member\\(s\\)`));
        assert.match(refused.stderr, /stop every mysql worker of the group/);
        // The worker has meanwhile stored everything: its positions are the ends, untouched by the refused reset.
        await waitFor(async () => sameMap(await storedPositions(), ends));
        const exit = await worker.stop();
        assert.equal(exit.code, 0);
      } finally {
        await worker.dispose();
      }
      const allowed = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'mysql', '--to', 'earliest'], env);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.deepEqual(
        await storedPositions(),
        new Map([
          [0, 0],
          [1, 0],
        ]),
      );
    });

    it('names the option that is wrong', async () => {
      const noTarget = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'mysql'], env);
      assert.equal(noTarget.code, 1);
      assert.match(noTarget.stderr, /--to is required/);
      const badSink = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'oracle', '--to', 'latest'], env);
      assert.match(badSink.stderr, /--sink must be one of mysql, csv, hive/);
      const badTime = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'mysql', '--to', 'yesterday'], env);
      assert.match(badTime.stderr, /--to must be earliest, latest, or an ISO time/);
    });
  });

  describe('for the CSV sink', () => {
    let folder: string;
    let csvPath: string;
    let env: Record<string, string>;
    before(async () => {
      folder = await fs.mkdtemp(path.join(os.tmpdir(), 'sink-reset-csv-'));
      csvPath = path.join(folder, 'bids.csv');
      env = { CSV_PATH: csvPath, KAFKA_TOPIC: topic, SINK_CONSUMER_GROUP: `reset-csv-${randomUUID().slice(0, 8)}` };
      await fs.writeFile(csvPath, CSV_HEADER);
      await writeCheckpoint(`${csvPath}.checkpoint.json`, {
        bytes: Buffer.byteLength(CSV_HEADER),
        positions: { [topic]: { '0': 1 }, other: { '0': 42 } },
      });
    });
    after(async () => {
      await fs.rm(folder, { recursive: true, force: true });
    });

    async function checkpointPositions(): Promise<Map<number, number>> {
      const checkpoint = await readCheckpoint(`${csvPath}.checkpoint.json`);
      return new Map(Object.entries(checkpoint?.positions[topic] ?? {}).map(([p, o]) => [Number(p), o]));
    }

    it('rewrites the positions in the checkpoint for latest, earliest and a moment, keeping its length and other topics', async () => {
      const latest = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'csv', '--to', 'latest'], env);
      assert.equal(latest.code, 0, latest.stderr);
      assert.deepEqual(await checkpointPositions(), ends);
      assert.match(latest.stdout, new RegExp(`partition 0: 1 → ${ends.get(0)}`));

      const earliest = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'csv', '--to', 'earliest'], env);
      assert.equal(earliest.code, 0, earliest.stderr);
      assert.deepEqual(
        await checkpointPositions(),
        new Map([
          [0, 0],
          [1, 0],
        ]),
      );

      const atTime = await runOperatorCommand(
        'scripts/sinkReset.js',
        ['--sink', 'csv', '--to', midpoint.toISOString()],
        env,
      );
      assert.equal(atTime.code, 0, atTime.stderr);
      assert.deepEqual(await checkpointPositions(), atMidpoint);
      const checkpoint = await readCheckpoint(`${csvPath}.checkpoint.json`);
      assert.equal(checkpoint?.bytes, Buffer.byteLength(CSV_HEADER));
      assert.deepEqual(checkpoint?.positions.other, { '0': 42 });
    });

    it('refuses while a CSV worker holds the writer lock, naming it', async () => {
      const lock = new WriterLock(`${csvPath}.lock`, createLogger('test', 'warn'));
      await lock.acquire();
      try {
        const refused = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'csv', '--to', 'latest'], env);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, new RegExp(`a CSV worker holds the writer lock .*pid ${process.pid}`));
        assert.deepEqual(await checkpointPositions(), atMidpoint, 'nothing changed');
      } finally {
        await lock.release();
      }
    });
  });
});

function sameMap(a: Map<number, number>, b: Map<number, number>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
