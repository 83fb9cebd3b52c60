import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchResult, SinksResult } from '../../bench/benchResult';
import { lowerCeiling, reportRows, textTable } from '../../bench/benchReport';
import { verdict } from '../../bench/targets';

const machine = { cpus: 2, cpuModel: 'test', memoryBytes: 4e9, node: 'v20' };

function result(parts: Partial<BenchResult>): BenchResult {
  return { startedAt: '2026-01-01T00:00:00Z', mode: 'quick', machine, durationSeconds: 1, ...parts };
}

const load = { connections: 64, seconds: 4, p50: 3, p99: 9, non2xx: 0, errors: 0 };

describe('benchmark report', () => {
  it('prints ingest as a share of the bare endpoint measured in the same run, against 60 %', () => {
    const [met] = reportRows(
      result({ ingest: { app: { ...load, okPerSecond: 6600 }, bare: { ...load, okPerSecond: 11000 } } }),
    );
    assert.equal(met!.ratio, '60 %');
    assert.equal(met!.verdict, 'met');
    assert.match(met!.measured, /^6,600 bids\/s/);
    assert.match(met!.ceiling, /11,000 req\/s/);
    const [missed] = reportRows(
      result({ ingest: { app: { ...load, okPerSecond: 2500 }, bare: { ...load, okPerSecond: 11000 } } }),
    );
    assert.equal(missed!.verdict, 'not met');
  });

  it('says n/a with the reason when the SSE endpoint is not there, and still judges the other latencies', () => {
    const summary = { count: 100, missing: 0, p50: 4, p99: 9, max: 12 };
    const rows = reportRows(
      result({
        latency: {
          offeredRate: 1000,
          seconds: 8,
          sent: 8000,
          accepted: 8000,
          refused: 0,
          senderLateP99Ms: 1,
          acceptance: summary,
          mysqlVisible: { ...summary, p99: 140 },
          mysqlPollIntervalMs: 3,
          sse: { unavailable: 'no /api/events' },
        },
      }),
    );
    assert.deepEqual(
      rows.map((row) => row.verdict),
      ['met', 'not met', 'n/a'],
    );
    assert.equal(rows[2]!.measured, 'n/a (no /api/events)');
  });

  it('judges each sink against the lower of consume-only and its store-only ceiling', () => {
    const sinks: SinksResult = {
      backlog: 1000,
      produceSeconds: 1,
      consumeCeiling: { records: 1000, seconds: 1, perSecond: 200_000 },
      drains: [
        {
          sink: 'mysql',
          startupSeconds: 1,
          drain: { records: 1000, seconds: 1, perSecond: 100_000 },
          storeCeiling: { records: 1000, seconds: 1, perSecond: 130_000 },
          peakRssBytes: null,
        },
      ],
      idleCpu: [{ sink: 'mysql', percentOfCore: 2, seconds: 20 }],
    };
    const [drain, idle] = reportRows(result({ sinks }));
    assert.equal(drain!.ratio, '77 %');
    assert.equal(drain!.verdict, 'not met');
    assert.equal(idle!.verdict, 'not met', 'the idle target is strictly below 2 %');
    assert.equal(lowerCeiling(sinks.consumeCeiling, { unavailable: 'x' }), null);
  });

  it('shows p99 "never" when over 1 % of the events never came', () => {
    const summary = { count: 90, missing: 10, p50: 4, p99: Infinity, max: Infinity };
    const rows = reportRows(
      result({
        latency: {
          offeredRate: 1000,
          seconds: 8,
          sent: 100,
          accepted: 100,
          refused: 0,
          senderLateP99Ms: 1,
          acceptance: summary,
          mysqlVisible: summary,
          mysqlPollIntervalMs: 3,
          sse: summary,
        },
      }),
    );
    assert.match(rows[1]!.measured, /p99 never \(10 never came\)/);
    assert.equal(rows[1]!.verdict, 'not met');
  });

  it('aligns the table columns', () => {
    const table = textTable([
      { figure: 'a', measured: '1', ceiling: '', ratio: '', target: 't', verdict: 'met' },
      { figure: 'longer figure', measured: '22', ceiling: 'c', ratio: '5 %', target: 'tt', verdict: 'n/a' },
    ]);
    const lines = table.split('\n');
    assert.equal(lines.length, 4);
    const bars = lines.filter((line) => !line.includes('-+-')).map((line) => line.indexOf('|'));
    assert.equal(new Set(bars).size, 1);
  });

  it('verdicts compare the right way round and say n/a when nothing was measured', () => {
    assert.equal(verdict(10, 'atMost', 10), 'met');
    assert.equal(verdict(10, 'below', 10), 'not met');
    assert.equal(verdict(0.6, 'atLeast', 0.6), 'met');
    assert.equal(verdict(null, 'atMost', 10), 'n/a');
  });
});
