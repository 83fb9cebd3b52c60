import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fromRoot } from '../../lib/paths';
import type { SqlRunner } from '../../workers/hive/hiveDdl';

/** Where `bash stack/hive.sh up` keeps HiveServer2's jars and the compiled JDBC runner (STACK_HOME, `.stack` by default). */
function hiveHome(): string {
  return path.join(process.env.STACK_HOME ?? fromRoot('.stack'), 'hive');
}

/** The local HiveServer2's JDBC address (HIVE_LOCAL_PORT moves it, as for stack/hive.sh). */
export function hiveJdbcUrl(): string {
  return `jdbc:hive2://127.0.0.1:${process.env.HIVE_LOCAL_PORT ?? '10000'}/default`;
}

function hiveScript(command: 'up' | 'down' | 'status'): string {
  return execFileSync('bash', ['stack/hive.sh', command], {
    cwd: fromRoot(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    // The first start resolves nothing (scripts/setup.sh fetched the jars) but creates the metastore.
    timeout: 600_000,
  });
}

/**
 * Makes sure the local HiveServer2 runs: starts it with `bash stack/hive.sh up`
 * when it does not. Returns whether it was started here, so the caller can
 * leave the machine as it found it.
 */
export function ensureHiveServer2(): boolean {
  if (/^hive: up/.test(hiveScript('status'))) return false;
  hiveScript('up');
  return true;
}

export function stopHiveServer2(): void {
  hiveScript('down');
}

/** A failed statement as HiveServer2 reported it, in the shape the `odbc` package gives its errors (read by odbcFailure.ts). */
export class HiveStatementError extends Error {
  readonly odbcErrors: { state: string; code: number; message: string }[];

  constructor(state: string, code: number, message: string) {
    super(`${state}: ${message}`);
    this.odbcErrors = [{ state, code, message }];
  }
}

interface RunnerAnswer {
  ok: boolean;
  rows?: Record<string, unknown>[];
  sqlState?: string;
  errorCode?: number;
  message?: string;
  ms: number;
}

/** One HiveServer2 session over Hive's JDBC driver: a SqlRunner like the sink's ODBC connection, plus each statement's time. */
export interface HiveJdbcSession extends SqlRunner {
  /** Runs one statement and returns its rows and how long HiveServer2 took (milliseconds, measured by the JDBC client). */
  timed<T>(sql: string, params?: (string | number)[]): Promise<{ rows: T[]; ms: number }>;
  close(): Promise<void>;
}

/**
 * Opens a session through stack/hive/HiveSqlRunner.java (compiled by
 * stack/hive.sh against the server's own jars): one JVM, one JDBC
 * connection, statements sent one at a time as prepared statements with
 * their parameters, so the text HiveServer2 receives is what a Hive ODBC
 * driver substituting the same parameters sends.
 */
export async function openHiveJdbcSession(url = hiveJdbcUrl()): Promise<HiveJdbcSession> {
  const home = hiveHome();
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child: ChildProcessWithoutNullStreams = spawn(
    java,
    ['-cp', `${home}/lib/*:${home}/runner`, 'HiveSqlRunner', url],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  async function nextLine(): Promise<string> {
    const next = await lines.next();
    if (next.done) throw new Error(`the JDBC runner ended (exit ${String(child.exitCode)}): ${stderr}`);
    return next.value;
  }
  const first = await nextLine();
  if (!/"ready":true/.test(first)) throw new Error(`the JDBC runner did not connect to ${url}: ${first} ${stderr}`);

  // One statement at a time on the one session, as the sink does on its connection.
  let queue: Promise<unknown> = Promise.resolve();
  async function send(sql: string, params: (string | number)[]): Promise<RunnerAnswer> {
    child.stdin.write(`${JSON.stringify({ sql, params })}\n`);
    return JSON.parse(await nextLine()) as RunnerAnswer;
  }

  async function timed<T>(sql: string, params: (string | number)[] = []): Promise<{ rows: T[]; ms: number }> {
    const answer = queue.then(() => send(sql, params));
    queue = answer.catch(() => undefined);
    const { ok, rows, sqlState, errorCode, message, ms } = await answer;
    if (!ok) throw new HiveStatementError(sqlState ?? '', errorCode ?? 0, message ?? '');
    return { rows: (rows ?? []) as T[], ms };
  }

  return {
    timed,
    async query<T>(sql: string, params?: (string | number)[]) {
      return (await timed<T>(sql, params)).rows;
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
