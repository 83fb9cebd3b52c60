import { execFileSync } from 'node:child_process';
import { fromRoot } from '../../lib/paths';

/**
 * Stops and restarts parts of the real local stack, for tests of what the
 * product does while a server is down. Runs the project's own stack scripts,
 * so a restarted component comes back exactly as `npm run stack:up` starts it.
 * STACK_HOME (default `.stack`) says where the running stack keeps its pid files.
 */
function runStackFunction(component: 'kafka' | 'mysql', call: string): void {
  execFileSync('bash', ['-c', `source stack/common.sh && load_dotenv && source stack/${component}.sh && ${call}`], {
    cwd: fromRoot(),
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
}

/** Stops the local Kafka broker (SIGTERM, as an operator would) and waits until it is gone. */
export function stopKafka(): void {
  runStackFunction('kafka', 'kafka_down');
}

/** Starts the local Kafka broker again and waits until it answers. */
export function startKafka(): void {
  runStackFunction('kafka', 'kafka_up');
}

/**
 * Stops the local MariaDB server and waits until its port is closed. Debian's
 * init script stops it through /etc/mysql/debian.cnf, which a machine set up
 * without that file lacks; root needs no password here, so ask the server itself.
 */
export function stopMysql(): void {
  runStackFunction(
    'mysql',
    'mysql_parse_url && { mariadb-admin --protocol=tcp -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" shutdown ||' +
      ' service mariadb stop; } >&2 && wait_until 60 "MariaDB to stop" mysql_server_process_gone',
  );
}

/** Starts the local MariaDB server again, as `npm run stack:up` does, and waits until it answers. */
export function startMysql(): void {
  runStackFunction('mysql', 'mysql_up');
}
