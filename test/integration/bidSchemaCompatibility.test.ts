import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { BidCodec, BidSchemaIncompatibleError } from '../../lib/registry/bidCodec';
import { registerBidSchema } from '../../lib/registry/registerBidSchema';
import type { RegistrySettings } from '../../lib/registry/settings';
import {
  bidSchemaRetyping,
  bidSchemaWithCurrency,
  bidSchemaWithout,
  closedBidSchema,
} from '../support/bidSchemaChanges';
import { TestSubjects } from '../support/registrySubjects';

describe('the compatibility policy of the bid subject, against the real registry', () => {
  const subjects = new TestSubjects();
  after(() => subjects.remove());

  async function levelOf(subject: string): Promise<string> {
    const answer = (await (await subjects.request('GET', `/config/${subject}`)).json()) as {
      compatibilityLevel: string;
    };
    return answer.compatibilityLevel;
  }

  async function versionsOf(subject: string): Promise<number[]> {
    return (await (await subjects.request('GET', `/subjects/${subject}/versions`)).json()) as number[];
  }

  /** A fresh subject holding the bid schema, as the web app leaves it at its first start. */
  async function subjectWithBidSchema(prefix: string): Promise<RegistrySettings> {
    const settings = { ...subjects.settings, subject: subjects.fresh(prefix) };
    await BidCodec.fromSettings(settings).register();
    return settings;
  }

  async function refusal(
    settings: RegistrySettings,
    schema: Record<string, unknown>,
  ): Promise<BidSchemaIncompatibleError> {
    const error = await registerBidSchema(settings, JSON.stringify(schema)).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof BidSchemaIncompatibleError, `expected a refusal, got ${String(error)}`);
    return error;
  }

  it('puts a new subject at FULL when the bid schema is first registered', async () => {
    const settings = await subjectWithBidSchema('bid-policy-new');
    assert.equal(await levelOf(settings.subject), 'FULL');
    assert.deepEqual(await versionsOf(settings.subject), [1]);
  });

  it('accepts version 2 of the bid, one optional field added, as a new version under FULL', async () => {
    const settings = await subjectWithBidSchema('bid-policy-add');
    const v1 = await BidCodec.fromSettings(settings).register();
    const v2 = await registerBidSchema(settings, JSON.stringify(bidSchemaWithCurrency()));
    assert.notEqual(v2, v1);
    assert.deepEqual(await versionsOf(settings.subject), [1, 2]);
    assert.equal(await levelOf(settings.subject), 'FULL');
  });

  it('refuses a required field removed, naming the subject, the level and the registry’s reason', async () => {
    const settings = await subjectWithBidSchema('bid-policy-remove');
    const error = await refusal(settings, bidSchemaWithout('name'));
    assert.equal(error.subject, settings.subject);
    assert.equal(error.level, 'FULL');
    assert.match(error.reason, /required property/, error.reason);
    assert.match(
      error.message,
      new RegExp(`version of ${settings.subject} under compatibility level FULL: .*required property`),
    );
    assert.deepEqual(await versionsOf(settings.subject), [1], 'nothing registered');
  });

  it('refuses a field retyped (price as text), with the registry’s reason', async () => {
    const settings = await subjectWithBidSchema('bid-policy-retype');
    const error = await refusal(settings, bidSchemaRetyping('price', 'string'));
    assert.equal(error.level, 'FULL');
    assert.match(error.reason, /type changed/, error.reason);
    assert.deepEqual(await versionsOf(settings.subject), [1], 'nothing registered');
  });

  it('moves a subject holding the closed schema of earlier releases to the open one under BACKWARD, then to FULL', async () => {
    const subject = subjects.fresh('bid-policy-closed');
    const settings = { ...subjects.settings, subject };
    // As earlier releases left it: the closed schema, at the BACKWARD level their registry client set.
    const create = await subjects.request('POST', `/subjects/${subject}/versions`, {
      schemaType: 'JSON',
      schema: JSON.stringify(closedBidSchema()),
    });
    assert.equal(create.status, 200);
    assert.equal((await subjects.request('PUT', `/config/${subject}`, { compatibility: 'BACKWARD' })).status, 200);

    await BidCodec.fromSettings(settings).register();
    assert.deepEqual(await versionsOf(subject), [1, 2]);
    assert.equal(await levelOf(subject), 'FULL');
    // From now on the policy holds: a field may be added, none removed.
    await registerBidSchema(settings, JSON.stringify(bidSchemaWithCurrency()));
    assert.equal((await refusal(settings, bidSchemaWithout('item'))).level, 'FULL');
  });
});
