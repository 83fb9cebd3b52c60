import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ignore from '@balena/dockerignore';
import { fromRoot } from '../../lib/paths';
import { WEB_NODE_FLAGS } from '../../web/nodeFlags';

/** `.dockerignore` read with Docker's own matching rules (not .gitignore's). */
function buildContextRules(): ReturnType<typeof ignore> {
  return ignore().add(readFileSync(fromRoot('.dockerignore'), 'utf8').split('\n'));
}

/** The folders the image's build compiles and copies from. */
const BUILD_FOLDERS = ['lib', 'web', 'workers', 'scripts', 'schemas', 'sql', 'views'];

/** Every file under a project folder, as a path relative to the project root. */
function filesUnder(folder: string): string[] {
  return readdirSync(fromRoot(folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(fromRoot(), path.join(entry.parentPath, entry.name)));
}

/** One Dockerfile instruction: its keyword and the rest of its (continued) line. */
interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments left out, split into its stages. */
function dockerfileStages(): Instruction[][] {
  const text = readFileSync(fromRoot('docker', 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = { keyword: match[1]!.toUpperCase(), args: match[2]!.trim() };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

describe('the Docker image', () => {
  it('leaves secrets, data, local state and local builds out of the build context', () => {
    const rules = buildContextRules();
    const leftOut = [
      '.env',
      '.env.local',
      '.env.production',
      'compose.env',
      'web/.env',
      'data',
      'data/bids.csv',
      'data/bids.csv.checkpoint.json',
      '.stack',
      '.stack/kafka/data/meta.properties',
      '.git',
      '.git/config',
      'node_modules',
      'node_modules/express/package.json',
      'web/node_modules/x/index.js',
      'dist',
      'dist/web/main.js',
      '.bench',
      '.bench/result.json',
      'test-results',
      'test-results/screenshots/page.png',
      'npm-debug.log',
    ];
    assert.deepEqual(
      leftOut.filter((file) => !rules.ignores(file)),
      [],
      'these would be sent to the Docker builder',
    );
  });

  it('sends what the build needs: the package files, tsconfig.json and every file of the source folders', () => {
    const rules = buildContextRules();
    const needed = ['package.json', 'package-lock.json', 'tsconfig.json', ...BUILD_FOLDERS.flatMap(filesUnder)];
    assert.ok(needed.includes(path.join('web', 'public', 'liveBids.js')) && needed.length > 100, needed.join(', '));
    assert.deepEqual(
      needed.filter((file) => rules.ignores(file)),
      [],
      'these would be missing from the build',
    );
  });

  it('builds and runs on exact Node images, so native modules match the Node that runs them', () => {
    const bases = dockerfileStages().map((stage) => stage[0]!.args.split(/\s+/)[0]);
    assert.deepEqual(bases, ['node:24.21.0-bookworm', 'node:24.21.0-bookworm-slim']);
  });

  it('runs the web app by default, with its Node flags (web/nodeFlags.ts)', () => {
    const cmd = dockerfileStages()
      .at(-1)!
      .filter((instruction) => instruction.keyword === 'CMD')
      .at(-1);
    assert.deepEqual(JSON.parse(cmd?.args ?? 'null'), ['node', ...WEB_NODE_FLAGS, 'dist/web/main.js']);
  });

  it('holds in its runtime stage only what the programs read at run time', () => {
    const runtime = dockerfileStages().at(-1)!;
    const copied = runtime
      .filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => {
        const parts = instruction.args.split(/\s+/);
        assert.equal(
          parts[0],
          '--from=build',
          `${instruction.args}: the runtime stage copies from the build stage only`,
        );
        return parts[1];
      });
    // lib/paths.ts finds the project root by its package.json; dist holds the
    // compiled programs and the bid schema they import; views, web/public and
    // sql are read from the project root (lib/paths.ts's fromRoot).
    assert.deepEqual(copied.sort(), [
      '/app/dist',
      '/app/node_modules',
      '/app/package.json',
      '/app/sql',
      '/app/views',
      '/app/web/public',
    ]);
  });

  it('runs as node, with the CSV volume /data made and owned by node before it is declared', () => {
    const runtime = dockerfileStages().at(-1)!;
    const at = (keyword: string, pattern: RegExp): number =>
      runtime.findIndex((instruction) => instruction.keyword === keyword && pattern.test(instruction.args));
    const chown = at('RUN', /mkdir -p \/data\b.*chown node:node \/data\b/);
    const volume = at('VOLUME', /\/data/);
    assert.ok(chown >= 0, 'a RUN makes /data and gives it to node');
    assert.ok(volume > chown, 'VOLUME /data comes after it, so a new volume starts owned by node');
    assert.ok(at('USER', /^node$/) > chown, 'the programs run as node');
  });
});
