import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { JsonOptions } from '@kafkajs/confluent-schema-registry/dist/@types';
import { createAjv } from '../bid/ajv';
import { bidSchema, type Bid } from '../bid/bid';
import { fieldErrorsOf, type FieldError } from '../bid/validateBid';
import { validateKnownBidFields } from '../bid/knownBidFields';
import { splitBid, type JsonValue, type ReadBid } from '../bid/readBid';
import type { RegistrySettings } from './settings';
import { readWireFrame, writeWireFrame } from './wireFormat';
import { errorMessage } from '../errorMessage';
import { checkRegistry } from './checkRegistry';
import { RegisteredSchemas, type SchemaLookup } from './registeredSchemas';
import { RegistryUnavailableError } from './registryUnavailableError';
import { registerBidSchema } from './registerBidSchema';
import type { Logger } from '../logger';

export { RegistryUnavailableError } from './registryUnavailableError';
export { BidSchemaIncompatibleError } from './registerBidSchema';

type RegistryAjv = NonNullable<JsonOptions['ajvInstance']>;

/**
 * Why a record is not a bid: each of these sends it to the dead-letter topic.
 * `foreign-schema`: the registry holds the record's schema id, but not as a
 * version of the bid subject. `unusable-schema`: it is a version of the bid,
 * but not one we can compile (not JSON, or a keyword our ajv does not know,
 * such as Kafka Connect's `connect.index`). `schema-violation`: the payload
 * breaks the version it was written under, or this program's rules for the
 * fields it knows.
 */
export type UndecodableReason =
  'not-wire-format' | 'unknown-schema-id' | 'foreign-schema' | 'unusable-schema' | 'invalid-json' | 'schema-violation';

/** A record read as a bid: the `Bid` fields, the fields added since (`extra`), and the schema id it was written under. */
export type DecodedBid =
  | ({ ok: true; schemaId: number; version: number } & ReadBid)
  | { ok: false; reason: UndecodableReason; detail: string; fieldErrors?: FieldError[] };

/** The client reports a refused or dropped connection as an HTTP error too; its message tells them apart. */
const NETWORK_FAILURE = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|socket hang up|Timeout/i;

function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof Error && NETWORK_FAILURE.test(error.message)) return undefined;
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

/**
 * Encodes bids in the Confluent JSON wire format under the `auction-value`
 * subject, and decodes records back into validated bids.
 *
 * The schema id is looked up once (by registering, which is idempotent for
 * identical content) and cached here: the library would otherwise ask the
 * registry for the latest version on every call. Schemas met while decoding
 * are fetched and compiled by `RegisteredSchemas`, once per id, each with its
 * own ajv: the library's getSchema compiles every version into one shared
 * ajv and reports failures without the registry's error code, so a schema
 * it cannot compile would look like a registry outage.
 */
export class BidCodec {
  private schemaId: number | undefined;
  private readonly schemas: RegisteredSchemas;

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly settings: RegistrySettings,
  ) {
    this.schemas = new RegisteredSchemas(settings);
  }

  private get subject(): string {
    return this.settings.subject;
  }

  static fromSettings(settings: RegistrySettings): BidCodec {
    const registry = new SchemaRegistry(
      {
        host: settings.url,
        clientId: 'auction-bids',
        retry: { retries: 2, maxRetryTimeInSecs: 2 },
        ...(settings.basicAuth ? { auth: settings.basicAuth } : {}),
      },
      // The library bundles its own ajv major version whose typings differ
      // from ours; it only calls compile() and addSchema() on the instance,
      // and only for the one schema this codec registers.
      { [SchemaType.JSON]: { ajvInstance: createAjv() as unknown as RegistryAjv } },
    );
    return new BidCodec(registry, settings);
  }

  /**
   * Registers `schemas/bid.schema.json` under the subject at the project's
   * compatibility level (see `registerBidSchema`) and remembers its id.
   * Throws `BidSchemaIncompatibleError` when the registry refuses it.
   */
  async register(log?: Logger): Promise<number> {
    this.schemaId = await registerBidSchema(this.settings, JSON.stringify(bidSchema), log);
    return this.schemaId;
  }

  /** The registered schema id; `register()` must have run. */
  get registeredSchemaId(): number {
    if (this.schemaId === undefined) throw new Error('the bid schema has not been registered yet');
    return this.schemaId;
  }

  /** A bid in the Confluent wire format, under the registered schema id. */
  encode(bid: Bid): Buffer {
    return writeWireFrame(this.registeredSchemaId, Buffer.from(JSON.stringify(bid), 'utf8'));
  }

  /**
   * Reads a record value as a bid. A record that can never be a bid is an
   * `ok: false` answer; a registry that cannot be reached throws
   * `RegistryUnavailableError`, since that says nothing about the record, and
   * a registry URL or credentials that are wrong throw `ConfigError`.
   */
  async decode(value: Buffer | null | undefined): Promise<DecodedBid> {
    const frame = readWireFrame(value);
    if (!frame.ok) return { ok: false, reason: 'not-wire-format', detail: frame.reason };
    return decodeFrame(frame, await this.schemas.lookUp(frame.schemaId));
  }

  /**
   * `decode` without waiting, for a record whose schema id was already
   * looked up; undefined when the registry must be asked first. A sink
   * worker decodes records with it as they arrive, while the batch before
   * them is being written.
   */
  decodeIfKnown(value: Buffer | null | undefined): DecodedBid | undefined {
    const frame = readWireFrame(value);
    if (!frame.ok) return { ok: false, reason: 'not-wire-format', detail: frame.reason };
    const schema = this.schemas.cached(frame.schemaId);
    return schema && decodeFrame(frame, schema);
  }

  /**
   * Resolves when the registry answers that the bid schema is still
   * registered under the subject with the id in use, for readiness checks.
   * Asks the registry every time (the client's per-id cache would answer
   * even with the registry gone), with the lookup-by-content call that
   * changes nothing.
   */
  async checkRegistered(): Promise<void> {
    const expected = this.registeredSchemaId;
    let id: number;
    try {
      id = await this.registry.getRegistryIdBySchema(this.subject, {
        type: SchemaType.JSON,
        schema: JSON.stringify(bidSchema),
      });
    } catch (error) {
      // The client turns this call's 404 (subject or schema unknown) into a ConfluentSchemaRegistryError without a status.
      if (httpStatusOf(error) === 404 || (error instanceof Error && error.name === 'ConfluentSchemaRegistryError')) {
        throw new RegistryUnavailableError(`the bid schema is not registered under ${this.subject} any more`);
      }
      throw new RegistryUnavailableError(`cannot reach the schema registry: ${errorMessage(error)}`);
    }
    if (id !== expected) {
      throw new RegistryUnavailableError(
        `the bid schema under ${this.subject} now has id ${id}, but this process encodes with id ${expected}`,
      );
    }
  }

  /** The start-up check of SCHEMA_REGISTRY_URL and SCHEMA_REGISTRY_BASIC_AUTH: see `checkRegistry`. */
  checkRegistry(): Promise<void> {
    return checkRegistry(this.settings);
  }
}

/**
 * A framed record read as a bid under its looked-up schema: JSON, then the
 * rules of the version it was written under, then this program's rules for
 * the `Bid` fields (which every store holds exactly), then split into those
 * fields and the ones added since.
 */
function decodeFrame(frame: { schemaId: number; payload: Buffer }, lookup: SchemaLookup): DecodedBid {
  if (!lookup.usable) return { ok: false, reason: lookup.reason, detail: lookup.detail };
  let candidate: unknown;
  try {
    candidate = JSON.parse(frame.payload.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'invalid-json', detail: errorMessage(error) };
  }
  const { schema } = lookup;
  const errors = schema.validate(candidate)
    ? validateKnownBidFields(candidate)
    : fieldErrorsOf(schema.validate.errors, candidate);
  if (errors.length > 0 || typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    const detail =
      errors.map((e) => `${e.field} ${e.message}`).join('; ') || `not a JSON object under version ${schema.version}`;
    return { ok: false, reason: 'schema-violation', detail, fieldErrors: errors };
  }
  return {
    ok: true,
    schemaId: frame.schemaId,
    version: schema.version,
    ...splitBid(candidate as Record<string, JsonValue>),
  };
}
