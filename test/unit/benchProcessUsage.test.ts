import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuSeconds, cpuTicksFromStat, residentBytes, statusBytes } from '../../bench/processUsage';
import { recordsWrittenFrom } from '../../bench/sinkMetricsText';

describe('process usage from /proc', () => {
  it('reads utime + stime after a command name holding spaces and parentheses', () => {
    const stat = '4242 (node (bench) x) S 1 4242 4242 0 -1 4194304 5000 0 0 0 731 96 0 0 20 0 11 0 123 456 789';
    assert.equal(cpuTicksFromStat(stat), 731 + 96);
  });

  it('refuses text that is not a stat line', () => {
    assert.throws(() => cpuTicksFromStat('nothing here'), /stat/);
  });

  it('reads VmRSS and VmHWM in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    assert.equal(statusBytes(status, 'VmRSS'), 102400 * 1024);
    assert.equal(statusBytes(status, 'VmHWM'), 204800 * 1024);
  });

  it('measures this very process: some CPU used, some memory resident', () => {
    assert.ok((cpuSeconds(process.pid) ?? 0) > 0);
    assert.ok((residentBytes(process.pid) ?? 0) > 10e6);
  });
});

describe("a sink worker's written count from its /metrics text", () => {
  it('reads sink_records_written_total with its sink label', () => {
    const text = [
      '# HELP sink_records_written_total Bids written to the store.',
      '# TYPE sink_records_written_total counter',
      'sink_records_written_total{sink="mysql"} 12345',
      'sink_records_written_total_created 1',
      'sink_batches_total{sink="mysql"} 7',
    ].join('\n');
    assert.equal(recordsWrittenFrom(text), 12345);
  });

  it('says undefined when the counter is not there', () => {
    assert.equal(recordsWrittenFrom('sink_batches_total 3\n'), undefined);
  });
});
