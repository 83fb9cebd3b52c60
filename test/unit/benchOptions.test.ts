import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BenchOptionError, parseBenchOptions } from '../../bench/benchOptions';

describe('benchmark options', () => {
  it('runs every part and every sink at full size by default, at the rates the targets name', () => {
    const options = parseBenchOptions([]);
    assert.deepEqual(options.parts, ['ingest', 'latency', 'memory', 'sinks']);
    assert.deepEqual(options.sinks, ['mysql', 'csv', 'hive', 'stats']);
    assert.equal(options.quick, false);
    assert.equal(options.latencyRate, 1000);
    assert.equal(options.sseClients, 1000);
    assert.equal(options.backlogBids, 500_000);
  });

  it('--quick keeps the rates and client counts but shrinks durations and the backlog', () => {
    const full = parseBenchOptions([]);
    const quick = parseBenchOptions(['--quick']);
    assert.equal(quick.latencyRate, full.latencyRate);
    assert.equal(quick.sseClients, full.sseClients);
    assert.ok(quick.backlogBids < full.backlogBids);
    assert.ok(quick.latencySeconds < full.latencySeconds);
    assert.ok(quick.ingestSeconds < full.ingestSeconds);
  });

  it('picks parts and sinks, kept in the run order', () => {
    const options = parseBenchOptions(['--parts', 'sinks,ingest', '--sinks', 'hive,csv', '--bids', '1000']);
    assert.deepEqual(options.parts, ['ingest', 'sinks']);
    assert.deepEqual(options.sinks, ['csv', 'hive']);
    assert.equal(options.backlogBids, 1000);
  });

  it('names the option that is wrong', () => {
    const cases: [string[], RegExp][] = [
      [['--bids', '10k'], /--bids must be a whole number/],
      [['--bids'], /--bids needs a value/],
      [['--parts', 'ingest,speed'], /--parts takes .*ingest, latency, memory, sinks; got "ingest,speed"/],
      [['--sinks', 'kafka'], /--sinks takes/],
      [['--fast'], /unknown option "--fast"; the options are --quick/],
    ];
    for (const [args, message] of cases) {
      assert.throws(
        () => parseBenchOptions(args),
        (error: unknown) => {
          assert.ok(error instanceof BenchOptionError, String(error));
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });
});
