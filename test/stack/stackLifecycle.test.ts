import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';

/**
 * The local stack's own commands. Runs last in the suite: it stops the broker
 * and the registry that the other tests use, then brings them back.
 */

const STACK_HOME = process.env.STACK_HOME ?? fromRoot('.stack');
const PROJECT_PORTS = { kafka: 9092, 'kafka controller': 9093, registry: 8081 } as const;
const PID_FILES = [`${STACK_HOME}/kafka/kafka.pid`, `${STACK_HOME}/registry/registry.pid`];

function stack(command: 'up' | 'down' | 'status'): { status: number | null; output: string } {
  const result = spawnSync('bash', ['stack/stack.sh', command], {
    cwd: fromRoot(),
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function runningPids(): number[] {
  return PID_FILES.filter((file) => existsSync(file)).map((file) => Number(readFileSync(file, 'utf8').trim()));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('stack commands', { concurrency: false }, () => {
  it('stack:up twice in a row is harmless: the second run reuses what runs and starts nothing new', async () => {
    const first = stack('up');
    assert.equal(first.status, 0, first.output);
    const pidsBefore = runningPids();
    const second = stack('up');
    assert.equal(second.status, 0, second.output);
    assert.match(second.output, /kafka\] already running/);
    assert.match(second.output, /registry\] already running/);
    assert.deepEqual(runningPids(), pidsBefore, 'the same processes still serve');
    for (const [component, port] of Object.entries(PROJECT_PORTS)) {
      assert.ok(await isPortOpen(port), `${component} answers on ${port}`);
    }
    assert.equal(stack('status').status, 0);
  });

  it('stack:down leaves nothing of the project running, and status says so', async () => {
    const pids = runningPids();
    assert.ok(pids.length > 0, 'the stack was started by the project');
    const down = stack('down');
    assert.equal(down.status, 0, down.output);
    for (const pid of pids) assert.equal(isAlive(pid), false, `process ${pid} is gone`);
    for (const [component, port] of Object.entries(PROJECT_PORTS)) {
      assert.equal(await isPortOpen(port), false, `${component} no longer listens on ${port}`);
    }
    const status = stack('status');
    assert.notEqual(status.status, 0);
    assert.match(status.output, /kafka: down/);
    assert.match(status.output, /registry: down/);
  });

  it('stack:up after stack:down brings back the topics and the registered schemas', async () => {
    const up = stack('up');
    assert.equal(up.status, 0, up.output);
    assert.ok(await isPortOpen(PROJECT_PORTS.kafka));
    const subjects = (await (await fetch('http://127.0.0.1:8081/apis/ccompat/v7/subjects')).json()) as string[];
    assert.ok(subjects.includes('auction-value'), `registered subjects survive a restart: ${subjects.join(', ')}`);
  });
});
