/**
 * `npm run autobid -- --rate 200 --duration 10`: realistic traffic for the
 * web app, through its JSON API. A few hot lots draw most bids, a long tail
 * a few each; a crowd of bidders comes back again and again; each lot's
 * price climbs by plausible increments from its opening price. A progress
 * line on stderr while it runs, a summary on stdout at the end (`--json`
 * for programs). Ctrl-C stops sending, waits a bounded time for the
 * answers, prints the summary and exits 0. Exit code 1: a wrong option or
 * no web app at the address.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Progress } from '../../lib/traffic/progress';
import { integerSetting, loadEnv } from '../../lib/env';
import { errorMessage } from '../../lib/errorMessage';
import { describeStartupFailure } from '../../lib/main';
import { AUTOBID_USAGE, parseAutobidOptions, type AutobidOptions } from './autobidOptions';
import { AutobidTally, summaryText } from './autobidTally';
import { bidderNames } from './bidderNames';
import { BidTraffic, type BidRequest } from './bidTraffic';
import { lotCatalogue } from './lotCatalogue';
import { PriceLadder } from './priceLadder';
import { progressText } from './progressText';
import { allowedBidsPerSecond } from './rateLimitPolicy';
import { seededRandom } from './seededRandom';
import { SkewedChoice } from './skewedChoice';

/** How long a bid may wait for its answer; the web app answers within BID_ACK_TIMEOUT_MS (5 s) unless it is stuck. */
const REQUEST_TIMEOUT_MS = 10_000;
/** After Ctrl-C, how long the answers of bids in flight are waited for before they are given up. */
const STOP_WAIT_MS = REQUEST_TIMEOUT_MS + 1_000;
/** How alike bidders are in how often they bid: flatter than lots, so many come back, a few very often. */
const BIDDER_SKEW = 0.8;

function fail(message: string): never {
  process.stderr.write(`autobid: ${message}\n`);
  process.exit(1);
}

function readOptions(): AutobidOptions {
  try {
    const port = integerSetting(loadEnv(), 'PORT', 3000, { min: 1, max: 65535 });
    return parseAutobidOptions(process.argv.slice(2), `http://127.0.0.1:${port}`, randomInt(0, 2 ** 31));
  } catch (error) {
    // A wrong option is its own message; a wrong PORT in .env reads "configuration error: PORT …".
    fail(describeStartupFailure(error));
  }
}

/** Fails fast, in one line, when nothing answers at the address, rather than counting every bid as an error. */
async function checkWebApp(url: URL): Promise<void> {
  const health = new URL('/healthz', url);
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) fail(`${health.href} answered ${response.status}: is the web app running there? (--url)`);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : errorMessage(error);
    fail(`no web app answers at ${url.origin} (${cause}); start it (npm start) or give --url`);
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.help) {
    process.stdout.write(`${AUTOBID_USAGE}\n`);
    return;
  }
  await checkWebApp(options.url);

  const random = seededRandom(options.seed);
  const lots = lotCatalogue(options.items, random);
  const bidders = bidderNames(options.bidders);
  const lotChoice = new SkewedChoice(options.items, options.skew);
  const bidderChoice = new SkewedChoice(options.bidders, BIDDER_SKEW);
  const ladder = new PriceLadder();
  const tally = new AutobidTally();
  const progress = new Progress();
  const acceptedFile = options.acceptedFile === undefined ? undefined : fs.openSync(options.acceptedFile, 'w');

  const nextBid = (): BidRequest => {
    const lot = lots[lotChoice.pick(random)]!;
    const name = bidders[bidderChoice.pick(random)]!;
    return { item: lot.item, name, price: ladder.nextPrice(lot.item, lot.startPrice, random) };
  };
  const traffic = new BidTraffic(
    { ...options, requestTimeoutMs: REQUEST_TIMEOUT_MS },
    tally,
    nextBid,
    (request, outcome) => {
      if (outcome.kind !== 'accepted') return;
      ladder.accepted(request.item, request.price);
      if (acceptedFile !== undefined) fs.writeSync(acceptedFile, `${JSON.stringify(outcome.bid)}\n`);
    },
    (policy) => {
      const allowed = allowedBidsPerSecond(policy);
      if (allowed === undefined || options.rate <= allowed) return;
      progress.note(
        `the web app takes ${policy.split(';')[0]} bids a minute from one address (BID_RATE_LIMIT_PER_MINUTE): ` +
          `at --rate ${options.rate} the rest are refused 429; raise it on the web app for a load run`,
      );
    },
  );

  let interrupted = false;
  let stopTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      progress.note(`${signal} again: giving up the ${tally.inFlight} bids still awaiting an answer`);
      traffic.abandon();
      return;
    }
    interrupted = true;
    progress.note(`${signal}: stopping; waiting up to ${STOP_WAIT_MS / 1000} s for ${tally.inFlight} answers`);
    traffic.stop();
    stopTimer = setTimeout(() => traffic.abandon(), STOP_WAIT_MS);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // The live rate: bids sent over the last second or so (from the start, in the first second).
  const samples: { at: number; sent: number }[] = [{ at: performance.now(), sent: 0 }];
  const showProgress = (): void => {
    const now = performance.now();
    samples.push({ at: now, sent: tally.sent });
    while (samples.length > 2 && now - samples[1]!.at >= 1_000) samples.shift();
    const oldest = samples[0]!;
    const ratePerSecond = now > oldest.at ? ((tally.sent - oldest.sent) * 1000) / (now - oldest.at) : 0;
    const elapsed = traffic.elapsedSeconds;
    const done = Math.max(
      options.durationSeconds === undefined ? 0 : elapsed / options.durationSeconds,
      options.bids === undefined ? 0 : tally.sent / options.bids,
    );
    const bounded = options.durationSeconds !== undefined || options.bids !== undefined;
    progress.update(
      progressText(tally, {
        done: bounded ? done : undefined,
        ratePerSecond,
        concurrency: options.concurrency,
        pausedForRetryAfter: traffic.pausedForRetryAfter,
      }),
    );
  };
  const ticker = setInterval(showProgress, 250);

  progress.note(
    `autobid: ${options.rate} bids/s to ${options.url.origin}, ${options.items} lots, ${options.bidders} bidders, ` +
      `seed ${options.seed}${options.durationSeconds === undefined && options.bids === undefined ? ', until Ctrl-C' : ''}`,
  );
  await traffic.run();
  clearInterval(ticker);
  clearTimeout(stopTimer);
  progress.finish();
  if (acceptedFile !== undefined) fs.closeSync(acceptedFile);

  const summary = tally.summary({
    url: options.url.origin,
    seed: options.seed,
    offeredRate: options.rate,
    elapsedSeconds: traffic.elapsedSeconds,
    interrupted,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, acceptedBids: tally.acceptedBids })}\n`);
  } else {
    process.stdout.write(summaryText(summary));
  }
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
}

main().catch((error: unknown) => fail(errorMessage(error)));
