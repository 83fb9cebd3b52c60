/** The parts of a run, in the order they run. */
export const BENCH_PARTS = ['ingest', 'latency', 'memory', 'sinks'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export const BENCH_SINKS = ['mysql', 'csv', 'hive', 'stats'] as const;
export type BenchSink = (typeof BENCH_SINKS)[number];

/** What one run measures and how big each measurement is. */
export interface BenchOptions {
  quick: boolean;
  parts: readonly BenchPart[];
  sinks: readonly BenchSink[];
  /** Keep-alive connections posting bids back to back, for the app and the bare endpoint alike. */
  ingestConnections: number;
  /** Seconds each ingest measurement runs (after a warm-up of its own). */
  ingestSeconds: number;
  /** Bids per second offered on a fixed schedule (open loop). */
  latencyRate: number;
  latencySeconds: number;
  /** SSE clients held open for the memory figure… */
  sseClients: number;
  /** …while bids flow at this rate… */
  memoryRate: number;
  /** …for this long. */
  memorySeconds: number;
  /** Bids in the backlog each sink drains (and each ceiling writes or reads). */
  backlogBids: number;
  /** Seconds over which each worker's idle CPU is measured. */
  idleSeconds: number;
  /** Where the JSON result goes; by default `.bench/<time>.json`. */
  outFile: string | undefined;
}

/** A command-line option the benchmark cannot use: the message names it. */
export class BenchOptionError extends Error {}

const FULL: Omit<BenchOptions, 'quick' | 'parts' | 'sinks' | 'outFile'> = {
  ingestConnections: 64,
  ingestSeconds: 15,
  latencyRate: 1000,
  latencySeconds: 30,
  sseClients: 1000,
  memoryRate: 200,
  memorySeconds: 20,
  backlogBids: 500_000,
  idleSeconds: 20,
};

/** Everything smaller, so a whole run fits in CI's two minutes; the rates and client counts the targets name stay. */
const QUICK: typeof FULL = {
  ingestConnections: 64,
  ingestSeconds: 4,
  latencyRate: 1000,
  latencySeconds: 8,
  sseClients: 1000,
  memoryRate: 200,
  memorySeconds: 5,
  backlogBids: 30_000,
  idleSeconds: 5,
};

const USAGE = '--quick, --parts ingest,latency,memory,sinks, --sinks mysql,csv,hive,stats, --bids N, --out FILE';

function listOption<T extends string>(name: string, text: string, known: readonly T[]): T[] {
  const names = text.split(',').map((value) => value.trim());
  const unknown = names.filter((value) => !(known as readonly string[]).includes(value));
  if (unknown.length > 0 || names.length === 0) {
    throw new BenchOptionError(`--${name} takes a comma-separated list of ${known.join(', ')}; got "${text}"`);
  }
  // In the benchmark's own order, once each.
  return known.filter((value) => names.includes(value));
}

/** Reads the command line (`process.argv.slice(2)`). */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  let quick = false;
  let parts: BenchPart[] = [...BENCH_PARTS];
  let sinks: BenchSink[] = [...BENCH_SINKS];
  let bids: number | undefined;
  let outFile: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const valueOf = (): string => {
      const value = args[++index];
      if (value === undefined || value.startsWith('--')) throw new BenchOptionError(`${arg} needs a value`);
      return value;
    };
    switch (arg) {
      case '--quick':
        quick = true;
        break;
      case '--parts':
        parts = listOption('parts', valueOf(), BENCH_PARTS);
        break;
      case '--sinks':
        sinks = listOption('sinks', valueOf(), BENCH_SINKS);
        break;
      case '--bids': {
        const text = valueOf();
        bids = Number(text);
        if (!/^\d+$/.test(text) || bids < 1 || bids > 10_000_000) {
          throw new BenchOptionError(`--bids must be a whole number from 1 to 10000000, got "${text}"`);
        }
        break;
      }
      case '--out':
        outFile = valueOf();
        break;
      default:
        throw new BenchOptionError(`unknown option "${arg}"; the options are ${USAGE}`);
    }
  }
  const sizes = quick ? QUICK : FULL;
  return { quick, parts, sinks, ...sizes, backlogBids: bids ?? sizes.backlogBids, outFile };
}
