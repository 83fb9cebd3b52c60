import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fromRoot } from '../../lib/paths';

/** Every TypeScript source file under the given project folders. */
function sourcesUnder(...folders: string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(fromRoot(folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(fromRoot(folder), file)),
  );
}

/** The variables the programs read through the settings helpers: `…Setting(env, 'NAME'`. */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const file of sourcesUnder('lib', 'web', 'workers')) {
    for (const match of readFileSync(file, 'utf8').matchAll(/Setting\(\s*env,\s*'([A-Z][A-Z0-9_]+)'/g)) {
      names.add(match[1]!);
    }
  }
  return [...names].sort();
}

describe('the configuration documentation', () => {
  const variables = variablesRead();

  it('finds the settings the programs read', () => {
    assert.ok(variables.includes('KAFKA_BOOTSTRAP_SERVERS') && variables.includes('HIVE_TABLE'), variables.join(', '));
    assert.ok(variables.length > 25);
  });

  it('.env.example documents every variable a program reads', () => {
    const example = readFileSync(fromRoot('.env.example'), 'utf8');
    const missing = variables.filter((name) => !new RegExp(`^(# )?${name}=`, 'm').test(example));
    assert.deepEqual(missing, []);
  });

  it('the README configuration table names every variable a program reads', () => {
    const readme = readFileSync(fromRoot('README.md'), 'utf8');
    const missing = variables.filter((name) => !readme.includes(`\`${name}\``));
    assert.deepEqual(missing, []);
  });
});
