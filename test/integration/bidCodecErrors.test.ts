import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bidSchema } from '../../lib/bid/bid';
import { ConfigError } from '../../lib/env';
import { BidCodec, RegistryUnavailableError } from '../../lib/registry/bidCodec';
import { checkRegistry } from '../../lib/registry/checkRegistry';
import { writeWireFrame } from '../../lib/registry/wireFormat';
import { sampleBid } from '../support/bidStream';
import { TestSubjects } from '../support/registrySubjects';

/** A bid framed under `schemaId`, as a producer using that schema would write it. */
function framedBid(schemaId: number): Buffer {
  return writeWireFrame(schemaId, Buffer.from(JSON.stringify(sampleBid(1)), 'utf8'));
}

describe('the bid codec tells record faults from registry faults, against the real registry', () => {
  const subjects = new TestSubjects();
  const codec = BidCodec.fromSettings(subjects.settings);
  after(() => subjects.remove());

  it('dead-letters a record whose schema id the registry does not hold (40403) as unknown-schema-id', async () => {
    const decoded = await codec.decode(writeWireFrame(987_654_321, Buffer.from('{}')));
    assert.equal(decoded.ok, false);
    assert.equal(!decoded.ok && decoded.reason, 'unknown-schema-id');
  });

  it('dead-letters a record whose registered schema cannot be compiled (Kafka Connect keywords) as unusable-schema', async () => {
    const connectSchema = {
      ...bidSchema,
      properties: {
        ...(bidSchema.properties as Record<string, Record<string, unknown>>),
        price: { type: 'integer', 'connect.index': 3, 'connect.type': 'int64' },
      },
    };
    const schemaId = await subjects.register('codec-connect', connectSchema);
    const decoded = await codec.decode(framedBid(schemaId));
    assert.equal(decoded.ok, false, 'not a bid');
    if (decoded.ok) return;
    assert.equal(decoded.reason, 'unusable-schema');
    assert.match(decoded.detail, new RegExp(`schema id ${schemaId}`));
    assert.match(decoded.detail, /connect\.index/, "the compiler's own words");
  });

  it('decodes records under two registered schemas that share one $id', async () => {
    const $id = `https://auction.example/bid-${Date.now()}.json`;
    const first = await subjects.register('codec-same-id', { ...bidSchema, $id, title: 'Bid v1' });
    const second = await subjects.register('codec-same-id', { ...bidSchema, $id, title: 'Bid v2' });
    assert.notEqual(first, second);
    for (const schemaId of [first, second]) {
      const decoded = await codec.decode(framedBid(schemaId));
      assert.equal(decoded.ok, true, `schema id ${schemaId}: ${JSON.stringify(decoded)}`);
    }
  });

  it('refuses to decode through a registry URL with a wrong path, naming SCHEMA_REGISTRY_URL', async () => {
    const wrong = BidCodec.fromSettings({ ...subjects.settings, url: 'http://127.0.0.1:8081/wrong/path' });
    await assert.rejects(
      wrong.decode(framedBid(1)),
      (error: unknown) => error instanceof ConfigError && error.variable === 'SCHEMA_REGISTRY_URL',
    );
  });

  it('waits for an unreachable registry: RegistryUnavailableError, not a dead letter', async () => {
    const down = BidCodec.fromSettings({ ...subjects.settings, url: 'http://127.0.0.1:1/apis/ccompat/v7' });
    await assert.rejects(down.decode(framedBid(1)), RegistryUnavailableError);
  });

  it('the start-up check passes for the real registry API', async () => {
    await checkRegistry(subjects.settings);
  });

  it('the start-up check names SCHEMA_REGISTRY_URL for a URL with a wrong path', async () => {
    await assert.rejects(
      checkRegistry({ ...subjects.settings, url: 'http://127.0.0.1:8081/wrong/path' }),
      (error: unknown) =>
        error instanceof ConfigError && error.variable === 'SCHEMA_REGISTRY_URL' && /wrong\/path/.test(error.message),
    );
  });

  it('the start-up check says the registry cannot be reached when nothing answers', async () => {
    await assert.rejects(
      checkRegistry({ ...subjects.settings, url: 'http://127.0.0.1:1/apis/ccompat/v7' }),
      (error: unknown) =>
        error instanceof RegistryUnavailableError && /cannot reach the schema registry/.test(error.message),
    );
  });
});
