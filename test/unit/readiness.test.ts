import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FatalProducerError, fatalErrorOfLog, isFatalClientError } from '../../lib/kafka/fatalProducerError';
import { checkReadiness } from '../../web/readiness';

const answers = async (): Promise<void> => undefined;
const fails = (message: string) => async (): Promise<void> => {
  throw new Error(message);
};

describe('readiness', () => {
  it('is ready with nothing degraded when every check answers', async () => {
    const readiness = await checkReadiness({ required: { kafka: answers }, optional: { mysql: answers } }, 1_000);
    assert.deepEqual(readiness, { ready: true, degraded: [], checks: { kafka: { ok: true }, mysql: { ok: true } } });
  });

  it('stays ready but lists MySQL as degraded when only MySQL fails', async () => {
    const readiness = await checkReadiness(
      { required: { kafka: answers, producer: answers }, optional: { mysql: fails('connect ECONNREFUSED') } },
      1_000,
    );
    assert.equal(readiness.ready, true);
    assert.deepEqual(readiness.degraded, ['mysql']);
    assert.deepEqual(readiness.checks.mysql, { ok: false, error: 'connect ECONNREFUSED' });
  });

  it('is not ready, naming the cause, when the producer has failed fatally', async () => {
    const fatal = new FatalProducerError('the Kafka producer failed fatally and can send nothing more: out of order');
    const readiness = await checkReadiness(
      {
        required: {
          kafka: answers,
          producer: async () => {
            throw fatal;
          },
        },
        optional: {},
      },
      1_000,
    );
    assert.equal(readiness.ready, false);
    assert.deepEqual(readiness.checks.producer, { ok: false, error: fatal.message });
  });

  it('counts a check that does not answer in time as failed', async () => {
    const readiness = await checkReadiness(
      { required: { registry: () => new Promise<void>(() => undefined) }, optional: {} },
      50,
    );
    assert.equal(readiness.ready, false);
    assert.match(readiness.checks.registry?.error ?? '', /no answer within 50 ms/);
  });
});

describe('fatal producer errors as node-rdkafka reports them', () => {
  it("reads librdkafka's FATAL log line, without its thread prefix", () => {
    const detail = fatalErrorOfLog({
      severity: 0,
      fac: 'FATAL',
      message:
        '[thrd:127.0.0.1:9092/1]: Fatal error: Broker: Broker received an out of order sequence number: ProduceRequest for bids [0] failed',
    });
    assert.equal(
      detail,
      'Fatal error: Broker: Broker received an out of order sequence number: ProduceRequest for bids [0] failed',
    );
  });

  it('ignores every other log line, however severe', () => {
    assert.equal(fatalErrorOfLog({ severity: 3, fac: 'FAIL', message: 'Connect to 127.0.0.1:9092 failed' }), undefined);
    assert.equal(fatalErrorOfLog({ severity: 0, fac: 'ERROR', message: 'Fatal error in name only' }), undefined);
  });

  it('recognises an error flagged fatal or carrying ERR__FATAL, and nothing else', () => {
    assert.equal(isFatalClientError({ message: 'x', code: -150 }), true);
    assert.equal(isFatalClientError({ message: 'x', code: -1, isFatal: true }), true);
    assert.equal(isFatalClientError({ message: 'all broker connections are down', code: -1 }), false);
    assert.equal(isFatalClientError({ message: 'queue full', code: -184, isFatal: false }), false);
    assert.equal(isFatalClientError(undefined), false);
  });
});
