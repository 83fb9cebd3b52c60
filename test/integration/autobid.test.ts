import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AcceptedBid } from '../../scripts/autobid/bidAnswerOutcome';
import type { AutobidSummary } from '../../scripts/autobid/autobidTally';
import { BuiltProgram } from '../support/builtProgram';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { waitFor } from '../support/service';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

/**
 * `npm run autobid` against the built web app and MySQL worker on the real
 * stack: what it reports accepted is what MySQL holds, its counts add up,
 * Ctrl-C ends a run with a summary, and the web app's rate limit is obeyed.
 */

type Summary = AutobidSummary & { acceptedBids: AcceptedBid[] };

function autobid(args: readonly string[]): BuiltProgram {
  return new BuiltProgram('scripts/autobid/main.js', {}, args);
}

function summaryOf(program: BuiltProgram): Summary {
  const line = program.lines.find((candidate) => 'sent' in candidate && 'acceptedBids' in candidate);
  assert.ok(
    line,
    `no JSON summary on stdout; stdout: ${JSON.stringify(program.lines)}; stderr: ${program.stderr.join('')}`,
  );
  return line as unknown as Summary;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}

function assertCountsAddUp(summary: Summary): void {
  assert.equal(summary.accepted + summary.refused + summary.errors, summary.sent, 'accepted + refused + errors = sent');
  assert.equal(sum(summary.refusedByReason), summary.refused, 'refusals by reason add up to refused');
  assert.equal(sum(summary.errorsByReason), summary.errors, 'errors by reason add up to errors');
  assert.equal(summary.acceptedBids.length, summary.accepted, 'one accepted bid listed for each counted');
}

describe('npm run autobid', { timeout: 600_000 }, () => {
  const runId = randomUUID().slice(0, 8);
  const folder = mkdtempSync(path.join(tmpdir(), 'autobid-'));
  let topic = '';
  let deadLetterTopic = '';
  let database: TestDatabase;
  let worker: SinkWorkerProcess | undefined;
  let web: WebAppUnderTest | undefined;

  before(async () => {
    topic = await createTestTopic('autobid');
    deadLetterTopic = await createTestTopic('autobid-dlq');
    database = await createTestDatabase('autobid');
    const shared = { KAFKA_TOPIC: topic, KAFKA_DLQ_TOPIC: deadLetterTopic, MYSQL_URL: database.url };
    worker = new SinkWorkerProcess('mysql', { ...shared, SINK_CONSUMER_GROUP: `autobid-mysql-${runId}` });
    // As README says to for a load run: the default of 120 bids a minute from one address would refuse most.
    web = await startWebApp({ ...shared, BID_RATE_LIMIT_PER_MINUTE: '1000000' });
  });

  after(async () => {
    await Promise.all([web?.stop(), worker?.stop()]);
    await database?.drop();
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    rmSync(folder, { recursive: true, force: true });
  });

  it('at 200 bids/s for 10 s, reports accepted exactly the bids MySQL then holds, and its counts add up', async (t) => {
    const acceptedFile = path.join(folder, 'accepted.ndjson');
    const program = autobid([
      ...['--url', web!.baseUrl, '--rate', '200', '--duration', '10'],
      ...['--json', '--accepted-file', acceptedFile, '--seed', '7'],
    ]);
    assert.deepEqual(await program.exit(60_000), { code: 0, signal: null }, program.stderr.join(''));
    const summary = summaryOf(program);
    assertCountsAddUp(summary);
    t.diagnostic(
      `sent ${summary.sent} at ${summary.achievedRate.toFixed(1)}/s, accepted ${summary.accepted}, ` +
        `refused ${JSON.stringify(summary.refusedByReason)}, errors ${summary.errors}, ` +
        `not sent ${JSON.stringify(summary.notSent)}, p50 ${Math.round(summary.latencyMs.p50 ?? NaN)} ms, p99 ${Math.round(summary.latencyMs.p99 ?? NaN)} ms`,
    );
    assert.equal(summary.interrupted, false);
    // Every one of the 2,000 scheduled bids is either sent or counted as held back, none silently dropped.
    assert.equal(summary.sent + summary.notSent.concurrency + summary.notSent['retry-after'], 2_000);
    assert.ok(summary.accepted > 0, `nothing accepted: ${JSON.stringify(summary.refusedByReason)}`);
    assert.ok(summary.latencyMs.p50 !== null && summary.latencyMs.p99! >= summary.latencyMs.p50);

    const inFile = readFileSync(acceptedFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as AcceptedBid);
    assert.deepEqual(inFile, summary.acceptedBids, '--accepted-file lists the same bids as the JSON summary');

    const accepted = new Map(summary.acceptedBids.map((bid) => [bid.bid_id, bid]));
    assert.equal(accepted.size, summary.accepted, 'accepted bid ids are distinct');
    const stored = await waitFor(
      `${accepted.size} bids in MySQL`,
      async () => {
        const rows = await readMysqlBids(database.pool);
        return rows.length >= accepted.size ? rows : undefined;
      },
      120_000,
    );
    assert.equal(stored.length, summary.accepted, 'MySQL holds as many bids as were reported accepted');
    for (const row of stored) {
      const bid = accepted.get(row.bid_id);
      assert.ok(bid, `bid ${row.bid_id} is in MySQL but was not reported accepted`);
      assert.deepEqual(
        { item: row.item, name: row.name, price: row.price },
        { item: bid.item, name: bid.name, price: bid.price },
      );
    }
    // A few hot lots draw most bids: the busiest lot got several times an even share.
    const perLot = new Map<string, number>();
    for (const bid of summary.acceptedBids) perLot.set(bid.item, (perLot.get(bid.item) ?? 0) + 1);
    const busiest = Math.max(...perLot.values());
    assert.ok(busiest > (5 * summary.accepted) / 100, `the busiest of 100 lots got ${busiest} of ${summary.accepted}`);
  });

  it('stops sending on SIGINT, waits for its answers, prints its summary and exits 0', async () => {
    const program = autobid(['--url', web!.baseUrl, '--rate', '50', '--json']);
    await waitFor('bids to be sent', () => (program.stderr.join('').includes('bids/s to') ? true : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    program.kill('SIGINT');
    assert.deepEqual(await program.exit(30_000), { code: 0, signal: null }, program.stderr.join(''));
    const summary = summaryOf(program);
    assert.equal(summary.interrupted, true);
    assert.ok(summary.sent > 0);
    assertCountsAddUp(summary);
    assert.deepEqual(summary.errorsByReason, {}, 'every bid in flight at SIGINT got its answer');
    assert.match(program.stderr.join(''), /SIGINT: stopping/);
  });

  it('counts 429s as rate-limited and holds its bids back while Retry-After runs', async () => {
    const limited = await startWebApp({
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: deadLetterTopic,
      MYSQL_URL: database.url,
      BID_RATE_LIMIT_PER_MINUTE: '20',
    });
    try {
      const program = autobid(['--url', limited.baseUrl, '--rate', '20', '--duration', '4', '--json']);
      assert.deepEqual(await program.exit(60_000), { code: 0, signal: null }, program.stderr.join(''));
      const summary = summaryOf(program);
      assertCountsAddUp(summary);
      assert.equal(summary.accepted, 20, 'the web app took its limit');
      const rateLimited = summary.refusedByReason['rate-limited'] ?? 0;
      assert.ok(rateLimited >= 1, `no 429 counted: ${JSON.stringify(summary)}`);
      // Once refused, it waits out Retry-After (the rest of the minute) instead of sending the remaining 60 bids.
      assert.ok(summary.notSent['retry-after'] > 40, `held back ${summary.notSent['retry-after']}`);
      assert.ok(rateLimited < 10, `${rateLimited} bids refused 429: Retry-After was not honoured`);
      assert.match(program.stderr.join(''), /BID_RATE_LIMIT_PER_MINUTE/);
    } finally {
      await limited.stop();
    }
  });

  it('refuses a bad option with one line naming it, and exit code 1', async () => {
    const program = autobid(['--rate', 'fast']);
    assert.deepEqual(await program.exit(30_000), { code: 1, signal: null });
    assert.equal(program.stderr.join(''), 'autobid: --rate must be a positive number of at most 100000, got "fast"\n');
    assert.deepEqual(program.lines, []);
  });
});
