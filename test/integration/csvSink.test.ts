import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../lib/env';
import { testSinkContext } from '../support/sinkContext';
import { createCsvSink } from '../../workers/csv/csvSink';
import type { Sink } from '../../workers/runtime/sink';
import { sampleBid } from '../support/bidStream';
import { readCsvBids, readCsvRows } from '../support/csvBids';
import { sampleRecords } from '../support/sinkRecords';
import { CSV_HEADER } from '../../workers/csv/csvFormat';
import { readCheckpoint, writeCheckpoint } from '../../workers/csv/checkpoint';

const folder = mkdtempSync(path.join(tmpdir(), 'csv-sink-'));
let files = 0;

function newCsvPath(): string {
  return path.join(folder, `export-${++files}`, 'bids.csv');
}

async function startedSink(csvPath: string): Promise<Sink> {
  const sink = createCsvSink(testSinkContext({ CSV_PATH: csvPath }));
  await sink.start();
  return sink;
}

describe('the CSV sink', () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('writes the header once, however often it restarts', async () => {
    const csvPath = newCsvPath();
    for (let run = 0; run < 3; run++) {
      const sink = await startedSink(csvPath);
      await sink.open('auction', [0]);
      const batch = sampleRecords(run * 10, 10);
      await sink.write({ records: batch, positions: new Map([[0, run * 10 + 10]]) });
      await sink.stop();
    }
    const text = readFileSync(csvPath, 'utf8');
    assert.equal(text.split('bid_id,item,name').length - 1, 1, 'one header');
    assert.equal(readCsvRows(csvPath).length, 30);
  });

  it('cuts a torn tail left by a crash and resumes from the checkpoint, so each bid is in the file once', async () => {
    const csvPath = newCsvPath();
    const sink = await startedSink(csvPath);
    await sink.open('auction', [0, 1]);
    const first = [...sampleRecords(0, 50, 0), ...sampleRecords(100, 20, 1)];
    await sink.write({
      records: first,
      positions: new Map([
        [0, 50],
        [1, 120],
      ]),
    });
    const confirmed = statSync(csvPath).size;
    // What a SIGKILL in the middle of the next append leaves: half a row, an open quote.
    appendFileSync(csvPath, '0b9c6a6e-1111-4c4c-8888-000000000000,"Oak dre');
    await sink.stop();

    const restarted = await startedSink(csvPath);
    assert.equal(statSync(csvPath).size, confirmed, 'the unconfirmed tail is cut');
    assert.deepEqual(
      await restarted.open('auction', [0, 1, 2]),
      new Map([
        [0, 50],
        [1, 120],
      ]),
      'positions come from the checkpoint; a partition never written is absent',
    );
    const again = sampleRecords(50, 5, 0);
    await restarted.write({ records: again, positions: new Map([[0, 55]]) });
    await restarted.stop();
    assert.deepEqual(
      readCsvBids(csvPath).map((bid) => bid.bid_id),
      [...first, ...again].map((r) => r.bid.bid_id),
    );
  });

  it('stores the position of a batch of dead letters only, so they are not read again', async () => {
    const csvPath = newCsvPath();
    const sink = await startedSink(csvPath);
    await sink.open('auction', [2]);
    await sink.write({ records: [], positions: new Map([[2, 9]]) });
    await sink.stop();
    const restarted = await startedSink(csvPath);
    assert.deepEqual(await restarted.open('auction', [2]), new Map([[2, 9]]));
    await restarted.stop();
  });

  it('keeps formulas harmless and names intact otherwise', async () => {
    const csvPath = newCsvPath();
    const sink = await startedSink(csvPath);
    await sink.open('auction', [0]);
    const names = ['=HYPERLINK("http://x","y")', "Robert'); DROP TABLE bids;--", '@SUM(1+1)', '-2+3'];
    const batch = names.map((name, i) => ({ ...sampleRecords(i, 1)[0]!, bid: { ...sampleBid(i), name } }));
    await sink.write({ records: batch, positions: new Map([[0, names.length]]) });
    await sink.stop();
    const rows = readCsvRows(csvPath);
    assert.deepEqual(
      rows.map((row) => row.name),
      [`'=HYPERLINK("http://x","y")`, "Robert'); DROP TABLE bids;'--", "'@SUM(1+1)", "'-2+3"],
    );
    assert.deepEqual(
      readCsvBids(csvPath).map((bid) => bid.name),
      names,
    );
  });

  it('refuses a file with rows but no checkpoint rather than guess how much of it is complete', async () => {
    const csvPath = newCsvPath();
    const sink = await startedSink(csvPath);
    await sink.stop();
    rmSync(`${csvPath}.checkpoint.json`);
    appendFileSync(csvPath, 'x,y,z,1,2026-01-01T00:00:00Z,0,0\r\n');
    await assert.rejects(startedSink(csvPath), /has no checkpoint/);
  });

  it('lets a second writer of the same file stand by until the first one stops', async () => {
    const csvPath = newCsvPath();
    const first = await startedSink(csvPath);
    const second = createCsvSink(testSinkContext({ CSV_PATH: csvPath }));
    let secondStarted = false;
    const starting = second.start().then(() => (secondStarted = true));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(secondStarted, false, 'the second writer waits');
    await first.stop();
    await starting;
    assert.equal(secondStarted, true, 'the second writer takes over once the first is gone');
    await second.stop();
  });

  it('refuses a CSV_PATH that names a folder, naming the variable', () => {
    writeFileSync(path.join(folder, 'plain-file'), '');
    assert.throws(
      () => createCsvSink(testSinkContext({ CSV_PATH: folder })),
      (error: unknown) => error instanceof ConfigError && /CSV_PATH/.test(error.message),
    );
    assert.throws(
      () => createCsvSink(testSinkContext({ CSV_PATH: path.join(folder, 'plain-file', 'bids.csv') })),
      /CSV_PATH/,
    );
  });

  it('leaves a file of other columns complete and starts a new one, named with its start time, at the same positions', async () => {
    const csvPath = newCsvPath();
    const dir = path.dirname(csvPath);
    mkdirSync(dir, { recursive: true });
    // What a worker of a version with an added field left: its own file, with a currency column.
    const laterName = 'bids.20261123T100000Z.csv';
    const laterText = `${CSV_HEADER.replace('\r\n', ',currency\r\n')}x,Oak,Ada,5,2026-11-23T10:00:00.000Z,0,9,EUR\r\n`;
    writeFileSync(path.join(dir, laterName), laterText);
    writeFileSync(csvPath, CSV_HEADER);
    await writeCheckpoint(`${csvPath}.checkpoint.json`, {
      file: laterName,
      bytes: Buffer.byteLength(laterText),
      positions: { auction: { '0': 10 } },
    });

    const sink = await startedSink(csvPath);
    assert.deepEqual(await sink.open('auction', [0]), new Map([[0, 10]]), 'the positions carry over');
    await sink.write({ records: sampleRecords(10, 3), positions: new Map([[0, 13]]) });
    await sink.stop();

    assert.equal(readFileSync(path.join(dir, laterName), 'utf8'), laterText, 'the previous file is left as it was');
    assert.equal(readFileSync(csvPath, 'utf8'), CSV_HEADER, 'CSV_PATH is not written again');
    const started = readdirSync(dir).filter((name) => /^bids\.\d{8}T\d{6}Z\.csv$/.test(name) && name !== laterName);
    assert.equal(started.length, 1, readdirSync(dir).join(', '));
    const newFile = path.join(dir, started[0]!);
    assert.equal(readCsvRows(newFile).length, 3, "one header, this worker's columns, the new rows");
    assert.equal((await readCheckpoint(`${csvPath}.checkpoint.json`))?.file, started[0]);
  });

  it('finishes starting a file its checkpoint names with no bytes yet (a crash while the columns changed)', async () => {
    const csvPath = newCsvPath();
    mkdirSync(path.dirname(csvPath), { recursive: true });
    writeFileSync(csvPath, CSV_HEADER);
    const name = 'bids.20261123T120000Z.csv';
    await writeCheckpoint(`${csvPath}.checkpoint.json`, { file: name, bytes: 0, positions: { auction: { '0': 4 } } });

    const sink = await startedSink(csvPath);
    assert.deepEqual(await sink.open('auction', [0]), new Map([[0, 4]]));
    await sink.write({ records: sampleRecords(4, 2), positions: new Map([[0, 6]]) });
    await sink.stop();
    assert.equal(readCsvRows(path.join(path.dirname(csvPath), name)).length, 2);
    assert.equal(readFileSync(csvPath, 'utf8'), CSV_HEADER);
  });
});
