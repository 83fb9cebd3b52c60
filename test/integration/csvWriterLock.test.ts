import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess, type LogLine } from '../support/builtProgram';
import { readCsvBids, readCsvRows } from '../support/csvBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { assertEveryBidStoredOnce, waitForStoreCount, type SinkUnderTest } from '../support/sinkCrashRecovery';

const standsBy = (line: LogLine): boolean => line.msg?.includes('standing by') === true;
const assigned = (line: LogLine): boolean => line.msg === 'partitions assigned';
const wroteBatch = (line: LogLine): boolean => line.msg === 'batch written';

/** What a worker printed, for assertion messages. */
function logOf(worker: SinkWorkerProcess): string {
  return worker.lines
    .slice(-8)
    .map((line) => JSON.stringify(line))
    .join('\n');
}

describe('one CSV writer per file, across crashes and standbys', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'csv-lock-'));
  const topics: string[] = [];
  let stream: BidStream;
  const workers: SinkWorkerProcess[] = [];

  before(async () => {
    stream = await BidStream.open();
  });
  after(async () => {
    for (const worker of workers) await worker.dispose();
    await stream.close();
    for (const topic of topics) await deleteTestTopic(topic);
    rmSync(folder, { recursive: true, force: true });
  });

  /** A fresh topic, CSV file and consumer group. */
  async function newExport(
    name: string,
  ): Promise<{ topic: string; csvPath: string; env: Record<string, string>; sink: SinkUnderTest }> {
    const topic = await createTestTopic(`csv-lock-${name}`, 3);
    topics.push(topic);
    const csvPath = path.join(folder, name, 'bids.csv');
    const env = {
      CSV_PATH: csvPath,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `csv-lock-${name}-${randomUUID().slice(0, 8)}`,
      SINK_BATCH_MAX_RECORDS: '200',
      SINK_SESSION_TIMEOUT_MS: '6000',
    };
    const sink: SinkUnderTest = {
      worker: 'csv',
      env,
      countStored: async () => readCsvRows(csvPath).length,
      readStored: async () => readCsvBids(csvPath),
    };
    return { topic, csvPath, env, sink };
  }

  function startWorker(env: Record<string, string>): SinkWorkerProcess {
    const worker = new SinkWorkerProcess('csv', env);
    workers.push(worker);
    return worker;
  }

  it('a worker restarted after SIGKILL takes over even when the lock names a process that is running (PID reuse)', async () => {
    const { topic, csvPath, env, sink } = await newExport('pid-reuse');
    const lockPath = `${csvPath}.lock`;
    const produced = Array.from({ length: 2_000 }, (_, i) => sampleBid(i));
    await stream.sendBids(topic, produced.slice(0, 1_000));

    const first = startWorker(env);
    assert.equal(await waitForStoreCount(sink, 1_000), 1_000, `the first worker writes; its log:\n${logOf(first)}`);
    const deadPid = first.pid!;
    first.kill('SIGKILL');
    assert.equal((await first.exit()).signal, 'SIGKILL');

    // Under Docker the restarted worker is PID 1 again, and any PID can be
    // reused: make the lock name a process that IS running (this one).
    const lockText = readFileSync(lockPath, 'utf8');
    assert.ok(lockText.includes(String(deadPid)), `the lock records its holder's pid: ${lockText}`);
    writeFileSync(lockPath, lockText.replaceAll(String(deadPid), String(process.pid)));

    await stream.sendBids(topic, produced.slice(1_000));
    const restarted = startWorker(env);
    const count = await waitForStoreCount(sink, produced.length);
    assert.equal(
      count,
      produced.length,
      `the restarted worker writes the rest instead of standing by; its log:\n${logOf(restarted)}`,
    );
    assert.equal(restarted.lines.some(standsBy), false, 'the restarted worker never stood by');
    const { code } = await restarted.stop();
    assert.equal(code, 0, `stops cleanly; stderr: ${restarted.stderr.join('')}`);
    assertEveryBidStoredOnce(produced, await sink.readStored());
  });

  it('two standbys racing for the lock of a killed writer: exactly one takes over, the other on its stop; every bid once', async () => {
    const { topic, env, sink } = await newExport('race');
    const produced = Array.from({ length: 2_000 }, (_, i) => sampleBid(i));

    const writer = startWorker(env);
    await writer.waitForLog(assigned, 60_000);
    const standbys = [startWorker(env), startWorker(env)];
    for (const standby of standbys) await standby.waitForLog(standsBy, 60_000);
    await stream.sendBids(topic, produced.slice(0, 1_000));
    assert.equal(await waitForStoreCount(sink, 1_000), 1_000);
    for (const standby of standbys) assert.equal(standby.lines.some(assigned), false, 'a standby does not consume');

    writer.kill('SIGKILL');
    await writer.exit();
    await stream.sendBids(topic, produced.slice(1_000));
    const winner = await Promise.any(
      standbys.map((standby) => standby.waitForLog(assigned, 60_000).then(() => standby)),
    );
    const loser = standbys.find((standby) => standby !== winner)!;
    assert.equal(
      await waitForStoreCount(sink, produced.length),
      produced.length,
      `the winner writes the rest; its log:\n${logOf(winner)}`,
    );
    assert.equal(
      loser.lines.some(assigned) || loser.lines.some(wroteBatch),
      false,
      `one writer only:\n${logOf(loser)}`,
    );

    // The winner's stop releases the lock at once: the other standby takes over.
    assert.equal((await winner.stop()).code, 0, `the winner stops cleanly; stderr: ${winner.stderr.join('')}`);
    await loser.waitForLog(assigned, 60_000);
    assert.equal((await loser.stop()).code, 0, `the second standby stops cleanly; stderr: ${loser.stderr.join('')}`);

    const stored = await sink.readStored();
    assertEveryBidStoredOnce(produced, stored);
  });
});
