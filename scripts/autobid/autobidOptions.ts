import { parseArgs } from 'node:util';

/** What one `npm run autobid` run sends, where, and how it reports. */
export interface AutobidOptions {
  /** The web app's base URL; bids go to `<url>/api/bids`. */
  url: URL;
  /** Bids a second, sent on a fixed schedule (open loop). */
  rate: number;
  /** Stop after this many seconds… */
  durationSeconds: number | undefined;
  /** …or once this many bids are sent, whichever comes first; neither: until Ctrl-C. */
  bids: number | undefined;
  items: number;
  /** The Zipf exponent of the lots' popularity (0: every lot alike). */
  skew: number;
  bidders: number;
  /** Bids waiting for an answer at once, at most. */
  concurrency: number;
  seed: number;
  json: boolean;
  acceptedFile: string | undefined;
  help: boolean;
}

/** A command line the tool cannot run: the message says which option and why, on one line. */
export class AutobidOptionError extends Error {}

export const AUTOBID_USAGE = `usage: npm run autobid -- [options]

Posts generated bids to the web app's JSON API (POST /api/bids) at a fixed
rate and prints what became of them.

  --url URL           the web app (default http://127.0.0.1:$PORT, PORT from the
                      environment or .env, else 3000)
  --rate N            bids a second, sent on schedule whatever the answers (default 1)
  --duration S        stop after S seconds
  --bids N            stop after N bids are sent
                      (neither: run until Ctrl-C)
  --items N           lots on sale (default 100)
  --skew S            how much a few lots draw most bids: Zipf exponent, 0 = even
                      (default 1.1)
  --bidders N         distinct bidders, who come back (default 50)
  --concurrency N     bids awaiting an answer at once, at most (default 64); a bid
                      due while that many wait is not sent and is counted
  --seed N            seed of the lots, prices and choices, to repeat a run
                      (default random, printed in the summary)
  --json              the summary as JSON on stdout, with every accepted bid
  --accepted-file F   write each accepted bid to F, one JSON object a line
  --help              this text

The web app limits bids per client address (BID_RATE_LIMIT_PER_MINUTE, 120 by
default): raise it on the web app for a load run.`;

const OPTIONS = {
  url: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  bids: { type: 'string' },
  items: { type: 'string' },
  skew: { type: 'string' },
  bidders: { type: 'string' },
  concurrency: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  'accepted-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const NUMBER = /^\s*(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const WHOLE = /^\s*\d+\s*$/;

function positiveNumber(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!NUMBER.test(text) || !(value > 0) || value > max) {
    throw new AutobidOptionError(`--${name} must be a positive number of at most ${max}, got "${text}"`);
  }
  return value;
}

function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!WHOLE.test(text) || value < min || value > max) {
    throw new AutobidOptionError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function baseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AutobidOptionError(`--url must be an http:// address such as http://127.0.0.1:3000, got "${text}"`);
  }
  if (url.protocol !== 'http:') {
    throw new AutobidOptionError(`--url must be an http:// address such as http://127.0.0.1:3000, got "${text}"`);
  }
  return url;
}

/**
 * `--rate -5` as `--rate=-5`: node:util would call a value starting with a
 * dash ambiguous; joined, it reaches the check that says what is wrong with it.
 */
function joinDashValues(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = args[index + 1];
    const takesValue = name !== undefined && name in OPTIONS && OPTIONS[name as keyof typeof OPTIONS].type === 'string';
    if (takesValue && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function readCommandLine(args: readonly string[]) {
  try {
    return parseArgs({ args: joinDashValues(args), options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    // node:util's message names the option ("Unknown option '--rat'"); keep it to one line.
    const message = (error as Error).message.split('\n')[0] ?? 'cannot read the command line';
    throw new AutobidOptionError(`${message} (see --help)`);
  }
}

/**
 * Reads the command line (`process.argv.slice(2)`). `defaultUrl` is the
 * local web app's address; `randomSeed` the seed when none is given.
 */
export function parseAutobidOptions(args: readonly string[], defaultUrl: string, randomSeed: number): AutobidOptions {
  const { values } = readCommandLine(args);
  const emptyFile = values['accepted-file'] === '';
  if (emptyFile) throw new AutobidOptionError('--accepted-file needs a file name');
  return {
    url: baseUrl(values.url ?? defaultUrl),
    rate: positiveNumber('rate', values.rate, 1, 100_000),
    durationSeconds:
      values.duration === undefined ? undefined : positiveNumber('duration', values.duration, 0, 31_536_000),
    bids: values.bids === undefined ? undefined : wholeNumber('bids', values.bids, 0, 1, 1_000_000_000),
    items: wholeNumber('items', values.items, 100, 1, 1_000_000),
    skew: values.skew === undefined ? 1.1 : skewOf(values.skew),
    bidders: wholeNumber('bidders', values.bidders, 50, 1, 1_000_000),
    concurrency: wholeNumber('concurrency', values.concurrency, 64, 1, 10_000),
    seed: wholeNumber('seed', values.seed, randomSeed, 0, 4_294_967_295),
    json: values.json ?? false,
    acceptedFile: values['accepted-file'],
    help: values.help ?? false,
  };
}

function skewOf(text: string): number {
  const value = Number(text);
  if (!NUMBER.test(text) || value > 10) {
    throw new AutobidOptionError(`--skew must be a number from 0 to 10, got "${text}"`);
  }
  return value;
}
