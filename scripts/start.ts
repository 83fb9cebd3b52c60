import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fromRoot } from '../lib/paths';
import { WEB_NODE_FLAGS } from '../web/nodeFlags';

/**
 * `npm start`: brings the local stack up (a no-op for parts already running
 * or configured as external), migrates MySQL, registers the bid schema, then
 * runs the web app and every sink worker as child processes with their log
 * lines prefixed by name. Ctrl-C (or SIGTERM) stops them all gracefully; if
 * one of them dies, the others are stopped too, so a failure is never hidden
 * behind a half-running system.
 *
 * A supervisor signals the process it started: npm, which forwards SIGTERM
 * and SIGINT to the shell running the script. package.json's `prestart` and
 * `start` `exec` their command, so that shell becomes tsc, then this
 * process: a shell left in between would die of SIGTERM, or wait out SIGINT,
 * without passing the signal on, and leave every program running.
 */

interface Service {
  name: string;
  script: string;
  /** Node flags before the script (see web/nodeFlags.ts). */
  nodeFlags?: readonly string[];
  env?: Record<string, string>;
}

const SERVICES: Service[] = [
  { name: 'web', script: 'dist/web/main.js', nodeFlags: WEB_NODE_FLAGS },
  { name: 'mysql-sink', script: 'dist/workers/mysql/main.js', env: { METRICS_PORT: '9101' } },
  { name: 'csv-sink', script: 'dist/workers/csv/main.js', env: { METRICS_PORT: '9102' } },
  { name: 'hive-sink', script: 'dist/workers/hive/main.js', env: { METRICS_PORT: '9103' } },
  { name: 'stats-sink', script: 'dist/workers/stats/main.js', env: { METRICS_PORT: '9104' } },
];

function runStep(description: string, command: string, args: string[]): void {
  console.log(`== start: ${description}`);
  const result = spawnSync(command, args, { cwd: fromRoot(), stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: ${description} failed (exit ${result.status ?? result.signal}); nothing was started`);
    process.exit(1);
  }
}

function launch(service: Service, width: number): ChildProcess {
  const child = spawn(process.execPath, [...(service.nodeFlags ?? []), fromRoot(service.script)], {
    cwd: fromRoot(),
    // A value the user set in the environment wins over our per-service default.
    env: { ...service.env, ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `${service.name.padEnd(width)} |`;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${line}`));
  }
  return child;
}

function main(): void {
  if (process.env.START_SKIP_STACK !== 'true') runStep('local stack', 'bash', ['stack/stack.sh', 'up']);
  runStep('MySQL and Hive schema', process.execPath, ['dist/scripts/migrate.js', '--hive']);
  runStep('bid schema', process.execPath, ['dist/scripts/registerSchema.js']);

  const width = Math.max(...SERVICES.map((s) => s.name.length));
  const running = new Map<string, ChildProcess>();
  let stopping = false;
  let exitCode = 0;

  const stopAll = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`== start: stopping ${[...running.keys()].join(', ')}`);
    for (const child of running.values()) child.kill(signal);
    // A process that ignores SIGTERM for half a minute is killed.
    setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), 30_000).unref();
  };

  for (const service of SERVICES) {
    const child = launch(service, width);
    running.set(service.name, child);
    // 'close', not 'exit': the program's last lines have been printed by then.
    child.on('close', (code, signal) => {
      running.delete(service.name);
      if (stopping) console.log(`== start: ${service.name} stopped (${signal ?? `exit code ${code}`})`);
      else {
        console.error(`== start: ${service.name} exited (${signal ?? `code ${code}`}); stopping the others`);
        exitCode = 1;
        stopAll('SIGTERM');
      }
      if (running.size === 0) process.exit(exitCode);
    });
  }
  console.log(
    `== start: running ${SERVICES.map((s) => s.name).join(', ')}; web on http://127.0.0.1:${process.env.PORT ?? 3000}/ — Ctrl-C stops all`,
  );
  process.on('SIGINT', () => stopAll('SIGTERM'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));
}

main();
