import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { JsonOptions } from '@kafkajs/confluent-schema-registry/dist/@types';
import { createAjv } from '../bid/ajv';
import { bidSchema, type Bid } from '../bid/bid';
import { validateBid, type FieldError } from '../bid/validateBid';
import type { RegistrySettings } from './settings';
import { readWireFrame, writeWireFrame } from './wireFormat';
import { errorMessage } from '../errorMessage';

type RegistryAjv = NonNullable<JsonOptions['ajvInstance']>;

/** Why a record is not a bid: each of these sends it to the dead-letter topic. */
export type UndecodableReason = 'not-wire-format' | 'unknown-schema-id' | 'invalid-json' | 'schema-violation';

export type DecodedBid =
  | { ok: true; bid: Bid; schemaId: number }
  | { ok: false; reason: UndecodableReason; detail: string; fieldErrors?: FieldError[] };

/** The registry could not be asked (unreachable, 5xx, refused): worth retrying, never a dead letter. */
export class RegistryUnavailableError extends Error {
  override name = 'RegistryUnavailableError';
}

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
 * are cached by the library per id.
 */
export class BidCodec {
  private schemaId: number | undefined;

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly subject: string,
  ) {}

  static fromSettings(settings: RegistrySettings): BidCodec {
    const registry = new SchemaRegistry(
      {
        host: settings.url,
        clientId: 'auction-bids',
        retry: { retries: 2, maxRetryTimeInSecs: 2 },
        ...(settings.basicAuth ? { auth: settings.basicAuth } : {}),
      },
      // The library bundles its own ajv major version whose typings differ
      // from ours; it only calls compile() and addSchema() on the instance.
      { [SchemaType.JSON]: { ajvInstance: createAjv() as unknown as RegistryAjv } },
    );
    return new BidCodec(registry, settings.subject);
  }

  /**
   * Registers `schemas/bid.schema.json` under the subject (a no-op returning
   * the same id when that content is already registered) and remembers its id.
   */
  async register(): Promise<number> {
    try {
      const { id } = await this.registry.register(
        { type: SchemaType.JSON, schema: JSON.stringify(bidSchema) },
        { subject: this.subject },
      );
      this.schemaId = id;
      return id;
    } catch (error) {
      const status = httpStatusOf(error);
      const detail = errorMessage(error);
      throw new RegistryUnavailableError(
        status === undefined
          ? `cannot register the bid schema under ${this.subject}: ${detail}`
          : `the schema registry refused the bid schema under ${this.subject} (HTTP ${status}): ${detail}`,
      );
    }
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
   * `RegistryUnavailableError`, since that says nothing about the record.
   */
  async decode(value: Buffer | null | undefined): Promise<DecodedBid> {
    const frame = readWireFrame(value);
    if (!frame.ok) return { ok: false, reason: 'not-wire-format', detail: frame.reason };
    try {
      await this.registry.getSchema(frame.schemaId);
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 404)
        return { ok: false, reason: 'unknown-schema-id', detail: `schema id ${frame.schemaId} is not in the registry` };
      throw new RegistryUnavailableError(`cannot look up schema id ${frame.schemaId}: ${errorMessage(error)}`);
    }
    let candidate: unknown;
    try {
      candidate = JSON.parse(frame.payload.toString('utf8'));
    } catch (error) {
      return { ok: false, reason: 'invalid-json', detail: errorMessage(error) };
    }
    const validation = validateBid(candidate);
    if (!validation.valid) {
      const detail = validation.errors.map((e) => `${e.field} ${e.message}`).join('; ');
      return { ok: false, reason: 'schema-violation', detail, fieldErrors: validation.errors };
    }
    return { ok: true, bid: validation.bid, schemaId: frame.schemaId };
  }

  /** Resolves when the registry answers, for readiness checks. */
  async ping(): Promise<void> {
    try {
      await this.registry.getSchema(this.registeredSchemaId);
    } catch (error) {
      throw new RegistryUnavailableError(errorMessage(error));
    }
  }
}
