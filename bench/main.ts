/**
 * `npm run bench [-- --quick]`: every speed figure of the product beside its
 * ceiling measured in the same run on the same machine, and the targets
 * (met / not met). A progress line while it runs (stderr), the table at the
 * end (stdout), and everything as JSON under .bench/. It starts what it
 * needs itself (built programs from dist/, fresh topics, database, table,
 * CSV folder) against the running stack, and removes it all afterwards.
 * Exit code 0 whatever the figures; 1 only if a part could not run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../lib/errorMessage';
import { fromRoot } from '../lib/paths';
import { Cleanup } from './cleanup';
import { BenchOptionError, parseBenchOptions, type BenchOptions } from './benchOptions';
import type { BenchResult } from './benchResult';
import { reportRows, textTable } from './benchReport';
import { measureIngest } from './ingestRun';
import { measureLive } from './liveRun';
import { Progress } from '../lib/traffic/progress';
import { measureSinks } from './sinksRun';

function resultFile(options: BenchOptions, startedAt: Date): string {
  if (options.outFile !== undefined) return path.resolve(options.outFile);
  return fromRoot(
    '.bench',
    `bench-${options.quick ? 'quick-' : ''}${startedAt.toISOString().replace(/[:.]/g, '-')}.json`,
  );
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchOptionError)) throw error;
    console.error(`bench: ${error.message}`);
    return 1;
  }
  const startedAt = new Date();
  const progress = new Progress();
  process.once('SIGINT', () => {
    progress.note('interrupted: stopping what the benchmark started and removing its topics, databases and files');
    void Cleanup.runAll((line) => progress.note(line)).finally(() => process.exit(130));
  });
  const result: BenchResult = {
    startedAt: startedAt.toISOString(),
    mode: options.quick ? 'quick' : 'full',
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryBytes: os.totalmem(),
      node: process.version,
    },
    durationSeconds: 0,
  };
  let failed = false;
  const part = async <T>(name: string, run: () => Promise<T>): Promise<T | { unavailable: string }> => {
    progress.note(`${name}: starting`);
    try {
      return await run();
    } catch (error) {
      failed = true;
      progress.note(`${name}: failed: ${errorMessage(error)}`);
      return { unavailable: `failed: ${errorMessage(error)}` };
    }
  };

  progress.note(
    `bench (${result.mode}): ${options.parts.join(', ')} on ${result.machine.cpus} cores; ` +
      'figures are printed beside their ceilings and targets, never asserted',
  );
  if (options.parts.includes('ingest')) result.ingest = await part('ingest', () => measureIngest(options, progress));
  if (options.parts.includes('latency') || options.parts.includes('memory')) {
    const live = await part('live path', () => measureLive(options, progress));
    if ('unavailable' in live) {
      if (options.parts.includes('latency')) result.latency = live;
      if (options.parts.includes('memory')) result.memory = live;
    } else {
      if (live.latency) result.latency = live.latency;
      if (live.memory) result.memory = live.memory;
    }
  }
  if (options.parts.includes('sinks')) result.sinks = await part('sinks', () => measureSinks(options, progress));
  result.durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);

  progress.finish();
  const rows = reportRows(result);
  const file = resultFile(options, startedAt);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ options, result, rows }, null, 2)}\n`);
  console.log(
    `\nbench (${result.mode}) ${result.startedAt}, ${result.durationSeconds} s, ${result.machine.cpus} × ${result.machine.cpuModel}, Node ${result.machine.node}`,
  );
  console.log(textTable(rows));
  console.log(`\nfigures as JSON: ${path.relative(process.cwd(), file) || file}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${errorMessage(error)}`);
    process.exit(1);
  },
);
