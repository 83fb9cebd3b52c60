import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';
import { WEB_NODE_FLAGS } from '../../web/nodeFlags';

/** The variables compose.env.example lists: the secrets docker-compose.yml takes from compose.env. */
function composeSecrets(): string[] {
  const example = readFileSync(fromRoot('compose.env.example'), 'utf8');
  return [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
}

/** A sentinel value per secret, to find where each one ends up. */
function sentinels(): Record<string, string> {
  return Object.fromEntries(composeSecrets().map((name) => [name, `sentinel0${name.toLowerCase()}`]));
}

/**
 * `docker-compose … config` (it validates the file without a Docker
 * engine), with the example env file and the given secrets in the
 * environment; none of the secrets is inherited from the test's own.
 */
function composeConfig(secrets: Record<string, string>, ...args: string[]): SpawnSyncReturns<string> {
  const secretNames = new Set(composeSecrets());
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !secretNames.has(name)));
  const result = spawnSync(
    'docker-compose',
    [
      '--env-file',
      fromRoot('compose.env.example'),
      '-f',
      fromRoot('docker-compose.yml'),
      '--profile',
      'hive',
      'config',
      ...args,
    ],
    { encoding: 'utf8', env: { ...env, ...secrets } },
  );
  assert.equal(result.error, undefined, 'docker-compose is installed by npm run setup');
  return result;
}

/** A published port as `docker-compose config` prints it: `[host_ip:]published:target[/protocol]`, or the long form. */
type PortEntry = string | number | { published?: number | string; target: number; host_ip?: string };

/** The parts of a service in `docker-compose config`'s output that these tests read. */
interface ComposeService {
  command?: string[];
  ports?: PortEntry[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  restart?: string;
}

/**
 * The resolved file as data. `docker-compose config` prints YAML; the YAML
 * reader of the Python that docker-compose (Debian's package) runs on turns
 * it into JSON.
 */
function resolvedServices(): Record<string, ComposeService> {
  const config = composeConfig(sentinels());
  assert.equal(config.status, 0, config.stderr);
  const json = spawnSync(
    'python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    {
      input: config.stdout,
      encoding: 'utf8',
    },
  );
  assert.equal(json.status, 0, json.stderr);
  return (JSON.parse(json.stdout) as { services: Record<string, ComposeService> }).services;
}

/** Where a port is published: its host address (undefined: every interface) and host port. */
function publication(entry: PortEntry): { hostIp: string | undefined; published: string } {
  if (typeof entry === 'object') return { hostIp: entry.host_ip, published: String(entry.published ?? 'any') };
  const short = /^(?:(.+):)?([\d-]+):[\d-]+(?:\/\w+)?$/.exec(String(entry));
  // A bare container port is published on a random port of every interface.
  if (!short) return { hostIp: undefined, published: 'any' };
  return { hostIp: short[1], published: short[2]! };
}

describe('docker-compose.yml', () => {
  it('parses, and defines the broker, registry, MySQL, web app and every sink', () => {
    const result = composeConfig(sentinels(), '--services');
    assert.equal(result.status, 0, result.stderr);
    const services = result.stdout.trim().split('\n').sort();
    for (const service of [
      'kafka',
      'schema-registry',
      'mysql',
      'web',
      'mysql-sink',
      'csv-sink',
      'stats-sink',
      'hive-sink',
    ]) {
      assert.ok(services.includes(service), `${service} in ${services.join(', ')}`);
    }
  });

  it('publishes only the web port to other machines: Kafka, the registry and MySQL on 127.0.0.1 at most', () => {
    const published = Object.entries(resolvedServices()).flatMap(([service, { ports = [] }]) =>
      ports.map((entry) => {
        const { hostIp, published: port } = publication(entry);
        return { service, port, hostIp: hostIp ?? 'every interface' };
      }),
    );
    assert.ok(
      published.some(({ service, port }) => service === 'web' && port === '3000'),
      JSON.stringify(published),
    );
    assert.deepEqual(
      published.filter(({ service, hostIp }) => service !== 'web' && hostIp !== '127.0.0.1'),
      [],
      'published on every interface',
    );
  });

  it('checks the health of every long-running service', () => {
    const unchecked = Object.entries(resolvedServices())
      .filter(([, service]) => service.restart !== 'no')
      .filter(([, service]) => service.healthcheck?.test === undefined || service.healthcheck.disable === true)
      .map(([name]) => name);
    assert.deepEqual(unchecked, []);
  });

  it('writes no password: each comes from compose.env, listed with an empty placeholder in compose.env.example', () => {
    const text = readFileSync(fromRoot('docker-compose.yml'), 'utf8');
    const secrets = composeSecrets();
    assert.ok(secrets.length >= 3, secrets.join(', '));

    const fromEnvFile = /^'?\$\{([A-Z][A-Z0-9_]*):\?[^}]+\}'?$/;
    for (const [, key, value] of text.matchAll(/^\s*([A-Z_]*PASSWORD[A-Z_]*):\s*(.+)$/gm)) {
      assert.match(value!, fromEnvFile, `${key} is taken from compose.env`);
    }
    for (const [url, password] of text.matchAll(/\/\/[^\s/:@]+:([^\s/@]+)@/g)) {
      assert.match(password!, /^\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}$/, `${url}: its password is taken from compose.env`);
    }
    assert.doesNotMatch(text, /(^|[\s'"[,])(-p\S|--password)/m, 'no password on a command line');
    // Every secret is used, and the example holds no value for any of them.
    const resolved = composeConfig(sentinels());
    assert.equal(resolved.status, 0, resolved.stderr);
    for (const [name, sentinel] of Object.entries(sentinels())) {
      assert.ok(resolved.stdout.includes(sentinel), `${name} is used in docker-compose.yml`);
    }
    assert.doesNotMatch(readFileSync(fromRoot('compose.env.example'), 'utf8'), /^[A-Z][A-Z0-9_]*=\S/m);
  });

  it('refuses to start without the passwords, naming the variable and compose.env', () => {
    const result = composeConfig({}, '--quiet');
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, new RegExp(`(${composeSecrets().join('|')}).*compose\\.env`));
  });

  it('runs the web app with its Node flags (web/nodeFlags.ts)', () => {
    assert.deepEqual(resolvedServices().web?.command, ['node', ...WEB_NODE_FLAGS, 'dist/web/main.js']);
  });
});
