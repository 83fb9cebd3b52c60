import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BidCodec } from '../../lib/registry/bidCodec';
import { registerBidSchema } from '../../lib/registry/registerBidSchema';
import {
  bidSchemaRetyping,
  bidSchemaWithCurrency,
  bidSchemaWithFields,
  bidSchemaWithout,
  CURRENCY_FIELD,
} from '../support/bidSchemaChanges';
import { BuiltProgram } from '../support/builtProgram';
import { TestSubjects } from '../support/registrySubjects';

interface CheckRun {
  code: number | null;
  stdout: string;
  stderrLines: string[];
}

describe('npm run schema:check, against the real registry', () => {
  const subjects = new TestSubjects();
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-check-'));
  });
  after(async () => {
    await subjects.remove();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  /** Writes a schema document to a file of its own and returns its path. */
  function schemaFile(name: string, schema: Record<string, unknown>): string {
    const file = path.join(folder, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(schema, null, 2));
    return file;
  }

  async function schemaCheck(subject: string, file?: string): Promise<CheckRun> {
    const program = new BuiltProgram(
      'scripts/schemaCheck.js',
      { SCHEMA_REGISTRY_SUBJECT: subject },
      file === undefined ? [] : [file],
    );
    const { code } = await program.exit(60_000).finally(() => program.dispose());
    return {
      code,
      stdout: program.lines.map((line) => line.msg ?? JSON.stringify(line)).join('\n'),
      stderrLines: program.stderr
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    };
  }

  async function subjectWithBidSchema(prefix: string): Promise<string> {
    const subject = subjects.fresh(prefix);
    await BidCodec.fromSettings({ ...subjects.settings, subject }).register();
    return subject;
  }

  it('passes the working copy of schemas/bid.schema.json and version 2 of the bid, registering nothing', async () => {
    const subject = await subjectWithBidSchema('check-ok');
    const working = await schemaCheck(subject);
    assert.equal(working.code, 0, working.stderrLines.join('\n'));
    assert.match(working.stdout, /version 1: compatible/);

    const v2 = await schemaCheck(subject, schemaFile('v2', bidSchemaWithCurrency()));
    assert.equal(v2.code, 0, v2.stderrLines.join('\n'));
    assert.match(v2.stdout, new RegExp(`is compatible with 1 version of ${subject}`));
    const versions = (await (await subjects.request('GET', `/subjects/${subject}/versions`)).json()) as number[];
    assert.deepEqual(versions, [1], 'the check registers nothing');
  });

  it('refuses a required field removed, saying which version and the registry’s reason', async () => {
    const subject = await subjectWithBidSchema('check-remove');
    const run = await schemaCheck(subject, schemaFile('without-name', bidSchemaWithout('name')));
    assert.equal(run.code, 1);
    assert.match(run.stdout, /version 1: INCOMPATIBLE: .*required property/);
    assert.equal(run.stderrLines.length, 1, run.stderrLines.join('\n'));
    assert.match(
      run.stderrLines[0]!,
      new RegExp(
        `^schema:check: .*without-name\\.json is not compatible with version 1 of ${subject} under FULL: .*required property`,
      ),
    );
  });

  it('refuses a field retyped, with the registry’s reason', async () => {
    const subject = await subjectWithBidSchema('check-retype');
    const run = await schemaCheck(subject, schemaFile('price-as-text', bidSchemaRetyping('price', 'string')));
    assert.equal(run.code, 1);
    assert.match(run.stdout, /version 1: INCOMPATIBLE: .*type changed/);
  });

  it('catches a change compatible with the latest version but not with an older one, which registering alone lets through', async () => {
    const subject = await subjectWithBidSchema('check-drift');
    const settings = { ...subjects.settings, subject };
    // v2 adds currency as text; v3 drops it (an optional field: FULL lets it go) and adds another.
    const auctionId = { auction_id: { type: 'string' } };
    await registerBidSchema(settings, JSON.stringify(bidSchemaWithFields({ currency: CURRENCY_FIELD })));
    await registerBidSchema(settings, JSON.stringify(bidSchemaWithFields(auctionId)));
    const currencyAsNumber = bidSchemaWithFields({ ...auctionId, currency: { type: 'integer' } });

    const run = await schemaCheck(subject, schemaFile('currency-as-number', currencyAsNumber));
    assert.equal(run.code, 1);
    assert.match(run.stdout, /version 1: compatible/);
    assert.match(run.stdout, /version 2: INCOMPATIBLE: /);
    assert.match(run.stdout, /version 3: compatible/);
    assert.match(run.stderrLines[0]!, new RegExp(`not compatible with version 2 of ${subject}`));
    // Registering compares with the latest version only, and lets it through.
    await registerBidSchema(settings, JSON.stringify(currencyAsNumber));
    const versions = (await (await subjects.request('GET', `/subjects/${subject}/versions`)).json()) as number[];
    assert.deepEqual(versions, [1, 2, 3, 4]);
  });

  it('fails when the subject is not at the FULL level, naming the level', async () => {
    const subject = await subjectWithBidSchema('check-level');
    assert.equal((await subjects.request('PUT', `/config/${subject}`, { compatibility: 'BACKWARD' })).status, 200);
    const run = await schemaCheck(subject);
    assert.equal(run.code, 1);
    assert.match(run.stderrLines[0]!, new RegExp(`${subject} is at compatibility level BACKWARD, not FULL`));
  });

  it('says so, and passes, when nothing is registered under the subject yet', async () => {
    const run = await schemaCheck(subjects.fresh('check-empty'));
    assert.equal(run.code, 0, run.stderrLines.join('\n'));
    assert.match(run.stdout, /is registered yet/);
  });
});
