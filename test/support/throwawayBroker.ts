import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Kafka, { type LibrdKafkaError } from 'node-rdkafka';
import { fromRoot } from '../../lib/paths';
import { freePort, waitFor } from './service';

/** Where `npm run stack:up` put the Kafka jars (STACK_HOME, `.stack` by default). */
function kafkaJars(): string {
  const stackHome = process.env.STACK_HOME ?? fromRoot('.stack');
  const lib = path.join(stackHome, 'kafka', 'lib');
  if (!fs.existsSync(lib)) throw new Error(`no Kafka jars in ${lib}: run npm run stack:up, or set STACK_HOME`);
  return path.join(lib, '*');
}

function javaBinary(): string {
  const home = process.env.JAVA_HOME;
  return home && fs.existsSync(path.join(home, 'bin', 'java')) ? path.join(home, 'bin', 'java') : 'java';
}

/**
 * A second, single-node KRaft broker of its own, started from the stack's
 * jars on free ports with its data in a temp folder, for tests that must do
 * to a broker what the shared one must never suffer (kill it, damage its
 * log). The shared broker on 9092 is not touched.
 */
export class ThrowawayBroker {
  private process: ChildProcess | undefined;

  private constructor(
    readonly home: string,
    readonly bootstrap: string,
    private readonly configFile: string,
  ) {}

  static async start(name: string): Promise<ThrowawayBroker> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-broker-`));
    const [port, controllerPort] = [await freePort(), await freePort()];
    const configFile = path.join(home, 'server.properties');
    fs.writeFileSync(
      configFile,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        `log.dirs=${path.join(home, 'data')}`,
        'auto.create.topics.enable=false',
        'offsets.topic.replication.factor=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        '',
      ].join('\n'),
    );
    const java = (...args: string[]): string =>
      execFileSync(javaBinary(), ['-Xmx256m', '-cp', kafkaJars(), ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      }).trim();
    const clusterId = java('kafka.tools.StorageTool', 'random-uuid');
    java('kafka.tools.StorageTool', 'format', '--cluster-id', clusterId, '--config', configFile);
    const broker = new ThrowawayBroker(home, `127.0.0.1:${port}`, configFile);
    await broker.startProcess();
    return broker;
  }

  /** Starts (or restarts, on the same data) the broker process and waits until it answers. */
  async startProcess(): Promise<void> {
    const log = fs.openSync(path.join(this.home, 'kafka.log'), 'a');
    this.process = spawn(javaBinary(), ['-Xmx384m', '-cp', kafkaJars(), 'kafka.Kafka', this.configFile], {
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const started = this.process;
    await waitFor(
      `the throwaway broker at ${this.bootstrap} to answer`,
      async () => {
        if (started.exitCode !== null) throw new Error(`broker exited; see ${path.join(this.home, 'kafka.log')}`);
        return (await this.answers()) ? true : undefined;
      },
      60_000,
    );
  }

  private async answers(): Promise<boolean> {
    const admin = Kafka.AdminClient.create({ 'bootstrap.servers': this.bootstrap, 'client.id': 'throwaway-admin' });
    try {
      return await new Promise<boolean>((resolve) => {
        admin.createPartitions('__probe_nothing__', 1, 2_000, (error: LibrdKafkaError) =>
          // Any answer from the broker (here: no such topic) means it is serving requests.
          resolve(Boolean(error) && !/timed out|transport|all broker/i.test(error.message)),
        );
      });
    } finally {
      admin.disconnect();
    }
  }

  async createTopic(topic: string, partitions: number): Promise<void> {
    const admin = Kafka.AdminClient.create({ 'bootstrap.servers': this.bootstrap, 'client.id': 'throwaway-admin' });
    try {
      await new Promise<void>((resolve, reject) => {
        admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1 }, 15_000, (error) =>
          error ? reject(new Error(`cannot create ${topic}: ${error.message}`)) : resolve(),
        );
      });
    } finally {
      admin.disconnect();
    }
  }

  /** The first log segment of a partition, where a new topic's records are appended. */
  segmentFile(topic: string, partition: number): string {
    return path.join(this.home, 'data', `${topic}-${partition}`, '00000000000000000000.log');
  }

  /** Kills the broker at once (SIGKILL: no clean shutdown, no snapshot written) and waits for it to be gone. */
  async kill(): Promise<void> {
    const running = this.process;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await gone;
  }

  /** Kills the broker and removes its folder. */
  async dispose(): Promise<void> {
    await this.kill();
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
