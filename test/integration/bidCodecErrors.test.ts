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

  it('dead-letters a record whose version of the bid cannot be compiled (Kafka Connect keywords) as unusable-schema', async () => {
    const connectSchema = {
      ...bidSchema,
      properties: {
        ...(bidSchema.properties as Record<string, Record<string, unknown>>),
        price: { type: 'integer', 'connect.index': 3, 'connect.type': 'int64' },
      },
    };
    const subject = subjects.fresh('codec-connect');
    const schemaId = await subjects.registerUnder(subject, connectSchema);
    const decoded = await BidCodec.fromSettings({ ...subjects.settings, subject }).decode(framedBid(schemaId));
    assert.equal(decoded.ok, false, 'not a bid');
    if (decoded.ok) return;
    assert.equal(decoded.reason, 'unusable-schema');
    assert.match(decoded.detail, new RegExp(`schema id ${schemaId}`));
    assert.match(decoded.detail, /connect\.index/, "the compiler's own words");
  });

  it('dead-letters a record whose schema id is registered under another subject only as foreign-schema, however bid-like', async () => {
    const bidSubject = subjects.fresh('codec-bids');
    await subjects.registerUnder(bidSubject, bidSchema);
    const otherSubject = subjects.fresh('codec-other');
    // Not the bid schema's content, which would get the bid version's id: a bid-shaped schema of another subject.
    const foreignId = await subjects.registerUnder(otherSubject, { ...bidSchema, title: 'Lot valuation' });
    const decoded = await BidCodec.fromSettings({ ...subjects.settings, subject: bidSubject }).decode(
      framedBid(foreignId),
    );
    assert.equal(decoded.ok, false, 'not a bid, though its payload fits the bid schema');
    if (decoded.ok) return;
    assert.equal(decoded.reason, 'foreign-schema');
    assert.match(decoded.detail, new RegExp(`schema id ${foreignId} is registered under ${otherSubject}, not`));
  });

  it('reads a record against the version it was written under: a field added in a later version is kept as extra', async () => {
    const subject = subjects.fresh('codec-v2');
    await subjects.registerUnder(subject, bidSchema);
    // Version 2 loosens bid_ts, which no compatibility level allows: this is about reading, not registering.
    await subjects.setCompatibility(subject, 'NONE');
    const properties = bidSchema.properties as Record<string, unknown>;
    const currency = { type: 'string', pattern: '^[A-Z]{3}$' };
    // A looser bid_ts than this reader's: any RFC 3339 date-time.
    const bid_ts = { type: 'string', format: 'date-time' };
    const v2 = await subjects.registerUnder(subject, { ...bidSchema, properties: { ...properties, bid_ts, currency } });
    const codecV1 = BidCodec.fromSettings({ ...subjects.settings, subject });
    const bid = sampleBid(7);
    const frame = (payload: unknown) => writeWireFrame(v2, Buffer.from(JSON.stringify(payload), 'utf8'));

    const read = await codecV1.decode(frame({ ...bid, currency: 'EUR' }));
    assert.ok(read.ok, JSON.stringify(read));
    assert.deepEqual(read.bid, bid);
    assert.deepEqual(read.extra, { currency: 'EUR' });
    assert.equal(read.version, 2);

    const broken = await codecV1.decode(frame({ ...bid, currency: 'euro' }));
    assert.equal(!broken.ok && broken.reason, 'schema-violation', "version 2's rule for currency applies");
    const narrowed = await codecV1.decode(frame({ ...bid, bid_ts: '2026-11-23T10:15:30.1234Z', currency: 'EUR' }));
    assert.equal(!narrowed.ok && narrowed.reason, 'schema-violation', "and this reader's rules for the bid fields");
  });

  it('decodes records under two versions of the bid that share one $id', async () => {
    const $id = `https://auction.example/bid-${Date.now()}.json`;
    const subject = subjects.fresh('codec-same-id');
    const first = await subjects.registerUnder(subject, { ...bidSchema, $id, title: 'Bid v1' });
    const second = await subjects.registerUnder(subject, { ...bidSchema, $id, title: 'Bid v2' });
    assert.notEqual(first, second);
    const sameIdCodec = BidCodec.fromSettings({ ...subjects.settings, subject });
    for (const schemaId of [first, second]) {
      const decoded = await sameIdCodec.decode(framedBid(schemaId));
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
