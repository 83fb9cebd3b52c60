import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { ReadinessReport } from '../../web/readinessReport';

interface LogLine {
  level: number;
  msg: string;
  part?: string;
  err?: string;
}

function capturingLogger(): { log: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines };
}

const answers = async (): Promise<void> => undefined;
const DRIVER_ERROR = "Access denied for user 'auction'@'10.0.0.7' (using password: YES)";

describe('the readiness report (/readyz)', () => {
  it('says only ready or not ready per part, and logs the cause of each failing part', async () => {
    const { log, lines } = capturingLogger();
    const report = new ReadinessReport(
      {
        required: {
          kafka: async () => {
            throw new Error('all broker connections are down: 10.0.0.5:9092');
          },
          registry: answers,
        },
        optional: {
          mysql: async () => {
            throw new Error(DRIVER_ERROR);
          },
        },
      },
      log,
    );
    const answer = await report.answer();
    assert.deepEqual(answer, {
      ready: false,
      degraded: ['mysql'],
      checks: { kafka: 'not ready', registry: 'ready', mysql: 'not ready' },
    });
    assert.doesNotMatch(JSON.stringify(answer), /10\.0\.0|auction|denied/);
    const warnings = lines.filter((line) => line.level === 40);
    assert.deepEqual(
      warnings.map((line) => [line.part, line.err]),
      [
        ['kafka', 'all broker connections are down: 10.0.0.5:9092'],
        ['mysql', DRIVER_ERROR],
      ],
    );
    assert.match(warnings[0]!.msg, /^readiness: kafka is not ready \(needed to take bids\): all broker/);
    assert.match(warnings[1]!.msg, /^readiness: mysql is not ready \(needed for the figures; bids are still taken\)/);
  });

  it('logs a failing part once while its cause stays the same, again when it changes, and once when it is ready again', async () => {
    const { log, lines } = capturingLogger();
    let cause: string | undefined = 'connect ECONNREFUSED';
    const report = new ReadinessReport(
      {
        required: {},
        optional: {
          mysql: async () => {
            if (cause !== undefined) throw new Error(cause);
          },
        },
      },
      log,
    );
    await report.answer();
    await report.answer();
    cause = 'no answer within 2000 ms';
    await report.answer();
    cause = undefined;
    assert.deepEqual((await report.answer()).checks, { mysql: 'ready' });
    await report.answer();
    assert.deepEqual(
      lines.map((line) => line.msg),
      [
        'readiness: mysql is not ready (needed for the figures; bids are still taken): connect ECONNREFUSED',
        'readiness: mysql is not ready (needed for the figures; bids are still taken): no answer within 2000 ms',
        'readiness: mysql is ready again',
      ],
    );
  });

  it('runs one round of probes for every request that asks while it is in flight', async () => {
    const { log } = capturingLogger();
    let rounds = 0;
    let finish: () => void = () => undefined;
    const report = new ReadinessReport(
      {
        required: {
          kafka: () => {
            rounds += 1;
            return new Promise<void>((resolve) => (finish = resolve));
          },
        },
        optional: {},
      },
      log,
    );
    const burst = Array.from({ length: 20 }, () => report.answer());
    finish();
    for (const answer of await Promise.all(burst)) assert.equal(answer.ready, true);
    assert.equal(rounds, 1);
  });
});
