import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bidSchema } from '../../lib/bid/bid';
import { BidCodec } from '../../lib/registry/bidCodec';
import { bidSchemaRetyping, bidSchemaWithout } from '../support/bidSchemaChanges';
import { BuiltProgram } from '../support/builtProgram';
import { BuiltProjectCopy } from '../support/builtProjectCopy';
import { TestSubjects } from '../support/registrySubjects';

/** The bid schema as first registered, before `bid_ts` was narrowed to what every store holds. */
const schemaBeforeNarrowing = {
  ...bidSchema,
  properties: {
    ...(bidSchema.properties as Record<string, unknown>),
    bid_ts: { type: 'string', format: 'date-time', pattern: 'Z$' },
  },
};

function stderrLines(program: BuiltProgram): string[] {
  return program.stderr
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

describe('registering a changed bid schema over an older version, against the real registry', () => {
  const subjects = new TestSubjects();
  after(() => subjects.remove());

  it('the web app refuses to start with one line saying what to do; register-schema --override-compatibility registers it and restores the rule', async () => {
    const subject = subjects.fresh('bid-upgrade');
    // As the web app left it: the old schema, at the FULL level it sets.
    const create = await subjects.request('POST', `/subjects/${subject}/versions`, {
      schemaType: 'JSON',
      schema: JSON.stringify(schemaBeforeNarrowing),
    });
    assert.equal(create.status, 200);
    const level = await subjects.request('PUT', `/config/${subject}`, { compatibility: 'FULL' });
    assert.equal(level.status, 200);

    const web = new BuiltProgram('web/main.js', { SCHEMA_REGISTRY_SUBJECT: subject, PORT: '0' });
    const webExit = await web.exit(60_000).finally(() => web.dispose());
    assert.equal(webExit.code, 1);
    const webLines = stderrLines(web);
    assert.equal(webLines.length, 1, webLines.join('\n'));
    assert.match(webLines[0]!, new RegExp(`^web: the schema registry refuses schemas/bid.schema.json .*${subject}`));
    assert.match(webLines[0]!, /npm run register-schema -- --override-compatibility/);

    const plain = new BuiltProgram('scripts/registerSchema.js', { SCHEMA_REGISTRY_SUBJECT: subject });
    assert.equal((await plain.exit(60_000).finally(() => plain.dispose())).code, 1, 'no override without the option');

    const upgrade = new BuiltProgram('scripts/registerSchema.js', { SCHEMA_REGISTRY_SUBJECT: subject }, [
      '--override-compatibility',
    ]);
    const upgradeExit = await upgrade.exit(60_000).finally(() => upgrade.dispose());
    assert.equal(upgradeExit.code, 0, stderrLines(upgrade).join('\n'));
    const override = upgrade.lines.find((line) => /overriding the compatibility rule/.test(line.msg ?? ''));
    assert.equal(override?.level, 'warn', 'the override is logged as a warning');
    assert.equal(override?.compatibility, 'FULL', 'with the level it overrode');

    const after = (await (await subjects.request('GET', `/config/${subject}`)).json()) as {
      compatibilityLevel: string;
    };
    assert.equal(after.compatibilityLevel, 'FULL', 'the rule is back');
    const versions = (await (await subjects.request('GET', `/subjects/${subject}/versions`)).json()) as number[];
    assert.equal(versions.length, 2);
    // The web app now starts: registering the same content again is a no-op returning its id.
    const codec = BidCodec.fromSettings({ ...subjects.settings, subject });
    const registered = upgrade.lines.find((line) => line.msg === 'bid schema registered');
    assert.equal(await codec.register(), registered?.schemaId);
  });

  const forbiddenChanges: [string, Record<string, unknown>, RegExp][] = [
    ['a required field removed (item)', bidSchemaWithout('item'), /required property/],
    ['a field retyped (price as text)', bidSchemaRetyping('price', 'string'), /type changed/],
  ];
  for (const [change, schema, reason] of forbiddenChanges) {
    it(`a web app built with ${change} stops at start with one line naming the subject, the level and the registry's reason`, async () => {
      const subject = subjects.fresh('bid-refused');
      await BidCodec.fromSettings({ ...subjects.settings, subject }).register();
      const release = new BuiltProjectCopy(schema);
      try {
        const web = new BuiltProgram('web/main.js', { SCHEMA_REGISTRY_SUBJECT: subject, PORT: '0' }, [], release.root);
        const { code } = await web.exit(60_000).finally(() => web.dispose());
        assert.equal(code, 1);
        const lines = stderrLines(web);
        assert.equal(lines.length, 1, lines.join('\n'));
        assert.match(
          lines[0]!,
          new RegExp(
            `^web: the schema registry refuses schemas/bid.schema.json as a new version of ${subject} ` +
              'under compatibility level FULL: ',
          ),
        );
        assert.match(lines[0]!, reason);
      } finally {
        release.remove();
      }
      const versions = (await (await subjects.request('GET', `/subjects/${subject}/versions`)).json()) as number[];
      assert.deepEqual(versions, [1], 'nothing registered');
    });
  }
});
