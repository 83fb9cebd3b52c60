import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Latencies } from '../../lib/traffic/latencies';

describe('benchmark latencies', () => {
  it('gives exact nearest-rank p50 and p99 of what was recorded', () => {
    const latencies = new Latencies();
    // 1..200 ms in shuffled order: p50 is the 100th value, p99 the 198th.
    const values = Array.from({ length: 200 }, (_, i) => i + 1).sort((a, b) => ((a * 7919) % 211) - ((b * 7919) % 211));
    for (const value of values) latencies.record(value);
    assert.deepEqual(latencies.summary(), { count: 200, missing: 0, p50: 100, p99: 198, max: 200 });
  });

  it('ranks what never arrived after every measured latency, so p99 is Infinity when over 1 % never came', () => {
    const latencies = new Latencies();
    for (let i = 1; i <= 97; i++) latencies.record(i);
    latencies.recordMissing(3);
    const summary = latencies.summary();
    assert.equal(summary.p50, 50);
    assert.equal(summary.p99, Infinity);
    assert.equal(summary.max, Infinity);
    assert.equal(summary.missing, 3);
  });

  it('keeps p99 finite when fewer than 1 % never came', () => {
    const latencies = new Latencies();
    for (let i = 1; i <= 999; i++) latencies.record(i);
    latencies.recordMissing(1);
    assert.equal(latencies.summary().p99, 990);
  });

  it('reports nothing measured as null, not zero', () => {
    assert.deepEqual(new Latencies().summary(), { count: 0, missing: 0, p50: null, p99: null, max: null });
  });

  it('refuses a latency that is not a finite number', () => {
    assert.throws(() => new Latencies().record(Number.NaN), /finite/);
  });
});
