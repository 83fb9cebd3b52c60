import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { descendantsOf, isRunning, type RunningProcess } from '../support/processTree';
import { freePort, waitFor } from '../support/service';
import { WEB_NODE_FLAGS } from '../../web/nodeFlags';

/** The programs `npm start` runs, as it prefixes their lines, with the line each logs on a graceful stop. */
const PROGRAMS = [
  { name: 'web', script: 'dist/web/main.js', stopped: '"msg":"stopped"' },
  { name: 'mysql-sink', script: 'dist/workers/mysql/main.js', stopped: '"msg":"sink worker stopped"' },
  { name: 'csv-sink', script: 'dist/workers/csv/main.js', stopped: '"msg":"sink worker stopped"' },
  { name: 'hive-sink', script: 'dist/workers/hive/main.js', stopped: '"msg":"sink worker stopped"' },
  { name: 'stats-sink', script: 'dist/workers/stats/main.js', stopped: '"msg":"sink worker stopped"' },
];

/** `npm start` as a supervisor runs it: npm's own process, with whatever npm puts between it and the programs. */
class NpmStart {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly npm: ChildProcess;

  constructor(env: Record<string, string>) {
    this.npm = spawn('npm', ['start'], {
      cwd: fromRoot(),
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    const collect = (chunk: string): void => {
      partial += chunk;
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      this.lines.push(...complete);
    };
    this.npm.stdout!.setEncoding('utf8').on('data', collect);
    this.npm.stderr!.setEncoding('utf8').on('data', collect);
    this.exited = new Promise((resolve) => this.npm.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    if (this.npm.pid === undefined) throw new Error('npm did not start');
    return this.npm.pid;
  }

  get hasExited(): boolean {
    return this.npm.exitCode !== null || this.npm.signalCode !== null;
  }

  /** The last lines printed, for a failure message. */
  tail(count = 30): string {
    return this.lines.slice(-count).join('\n');
  }
}

/** Sends a signal to a process that may have ended meanwhile. */
function signalIfRunning(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Ends processes a failed run left behind, so that no test leaves programs running on the shared machine. */
async function endLeftovers(processes: RunningProcess[]): Promise<void> {
  const left = processes.filter(isRunning);
  for (const leftover of left) signalIfRunning(leftover.pid, 'SIGTERM');
  await waitFor('leftover programs to end', () => (left.some(isRunning) ? undefined : true), 30_000).catch(() => {
    for (const leftover of left.filter(isRunning)) signalIfRunning(leftover.pid, 'SIGKILL');
  });
}

describe('npm start under a supervisor', { timeout: 600_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let table: TestHiveTable;
  const folder = mkdtempSync(path.join(tmpdir(), 'start-signals-'));
  before(async () => {
    topic = await createTestTopic('startsig');
    database = await createTestDatabase('startsig');
    table = await createTestHiveTable('startsig_bids');
  });
  after(async () => {
    await table.drop();
    await database.drop();
    await deleteTestTopic(topic);
    rmSync(folder, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops every program gracefully, leaving none behind, when ${signal} is sent to the process npm start began`, async () => {
      const port = await freePort();
      const start = new NpmStart({
        START_SKIP_STACK: 'true',
        PORT: String(port),
        KAFKA_TOPIC: topic,
        MYSQL_URL: database.url,
        CSV_PATH: path.join(folder, `${signal}.csv`),
        HIVE_TABLE: table.name,
        // No fixed metrics ports: other runs on the machine may hold 9101-9104.
        METRICS_PORT: '0',
      });
      let programs: RunningProcess[] = [];
      try {
        await waitFor(
          'the web app to be ready',
          async () => {
            if (start.hasExited) throw new Error(`npm start ended early:\n${start.tail()}`);
            return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined;
          },
          240_000,
        );
        for (const { name } of PROGRAMS) {
          await waitFor(`${name} to start`, () =>
            start.lines.some(
              (line) =>
                line.startsWith(`${name.padEnd(10)} | `) &&
                /"msg":"(sink worker started|web app listening)"/.test(line),
            )
              ? true
              : undefined,
          );
        }
        programs = descendantsOf(start.pid);
        for (const { script } of PROGRAMS) {
          assert.ok(
            programs.some((running) => running.command.includes(script)),
            `${script} runs under npm start: ${programs.map((running) => running.command).join('; ')}`,
          );
        }

        const web = programs.find((running) => running.command.includes('dist/web/main.js'));
        assert.ok(
          web?.command.includes(`${WEB_NODE_FLAGS.join(' ')} `),
          `the web app runs with its Node flags: ${web?.command ?? 'not found'}`,
        );

        // A supervisor signals the one process it started, nothing else.
        process.kill(start.pid, signal);
        const { code, signal: killedBy } = await Promise.race([
          start.exited,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`npm start still running 90 s after ${signal}`)), 90_000),
          ),
        ]);
        assert.deepEqual({ code, signal: killedBy }, { code: 0, signal: null }, start.tail());

        const alive = programs.filter(isRunning);
        assert.deepEqual(
          alive.map((running) => running.command),
          [],
          'no program outlives npm start',
        );
        for (const { name, stopped } of PROGRAMS) {
          const prefix = `${name.padEnd(10)} | `;
          assert.ok(
            start.lines.some((line) => line.startsWith(prefix) && line.includes(stopped)),
            `${name} logs its graceful stop:\n${start.tail()}`,
          );
          assert.ok(
            start.lines.includes(`== start: ${name} stopped (exit code 0)`),
            `${name} exits 0:\n${start.tail()}`,
          );
        }
      } finally {
        if (!start.hasExited) programs.push(...descendantsOf(start.pid));
        await endLeftovers(programs);
        if (!start.hasExited) signalIfRunning(start.pid, 'SIGKILL');
      }
    });
  }
});
