import type { ValidateFunction } from 'ajv';
import { createAjv } from '../bid/ajv';
import { ConfigError } from '../env';
import { errorMessage } from '../errorMessage';
import { askRegistry, confluentErrorCode, describeBody } from './registryRequest';
import type { RegistrySettings } from './settings';

/** The Confluent API's "schema not found" (GET /schemas/ids/{id} for an id it does not hold). */
const SCHEMA_NOT_FOUND = 40403;

/** One version of the bid schema, as records written under it are read: its compiled validator. */
export interface BidSchemaVersion {
  schemaId: number;
  /** The version number under the bid subject. */
  version: number;
  validate: ValidateFunction;
}

/** Why records framed with a schema id cannot be read as bids: a dead-letter reason and its detail. */
export interface SchemaRefusal {
  usable: false;
  reason: 'unknown-schema-id' | 'foreign-schema' | 'unusable-schema';
  detail: string;
}

/** Whether records framed with a schema id can be read, and if so, under which version of the bid. */
export type SchemaLookup = { usable: true; schema: BidSchemaVersion } | SchemaRefusal;

/** `GET /schemas/ids/{id}`: the schema text, and its type (absent means AVRO, by the Confluent API's rule). */
interface SchemaAnswer {
  schema?: unknown;
  schemaType?: unknown;
}

/** One entry of `GET /schemas/ids/{id}/versions`: a subject and version the schema is registered as. */
interface SubjectVersion {
  subject: string;
  version: number;
}

/**
 * The schemas records on the topic name by id, looked up once per id.
 *
 * A record is a bid only if its schema id is a version of the bid subject
 * (`SCHEMA_REGISTRY_SUBJECT`); any other id the registry holds is a
 * `foreign-schema`, whatever its payload looks like. A version of the bid is
 * then compiled, once per id, with its own fresh ajv instance: one shared
 * instance refuses a second schema with an `$id` it already holds, which is
 * exactly what two versions of one schema look like. Records are validated
 * against the version they were written under, so a reader accepts a field
 * added in a version newer than its own.
 *
 * A version our ajv cannot compile (a keyword it does not know, such as
 * Kafka Connect's `connect.index`) makes its records unreadable, which is
 * the record's fault, not the registry's: the answer is remembered like a
 * usable one, since a registered version never changes. An id the registry
 * does not hold, or holds under other subjects only, is not remembered: it
 * may yet be registered as a version of the bid (the registry gives the same
 * content the same id under every subject), and arbitrary ids on a bad topic
 * cannot fill memory.
 */
export class RegisteredSchemas {
  private readonly known = new Map<number, SchemaLookup>();

  constructor(private readonly settings: RegistrySettings) {}

  /** The answer for an id already looked up, without asking the registry; undefined if it must be asked. */
  cached(schemaId: number): SchemaLookup | undefined {
    return this.known.get(schemaId);
  }

  /**
   * Throws `RegistryUnavailableError` (wait and retry) or `ConfigError` (the
   * URL or credentials are wrong) when the registry cannot answer for it.
   */
  async lookUp(schemaId: number): Promise<SchemaLookup> {
    const cached = this.known.get(schemaId);
    if (cached) return cached;
    const registeredAs = await this.ask<SubjectVersion[]>(schemaId, `/schemas/ids/${schemaId}/versions`);
    if (registeredAs === undefined) return unknownId(schemaId);
    const version = registeredAs.find((entry) => entry.subject === this.settings.subject)?.version;
    if (version === undefined) {
      const subjects = [...new Set(registeredAs.map((entry) => entry.subject))].join(', ') || 'no subject';
      return {
        usable: false,
        reason: 'foreign-schema',
        detail: `schema id ${schemaId} is registered under ${subjects}, not as a version of ${this.settings.subject}`,
      };
    }
    const answer = await this.ask<SchemaAnswer>(schemaId, `/schemas/ids/${schemaId}`);
    if (answer === undefined) return unknownId(schemaId);
    const lookup = compiled(schemaId, version, answer);
    this.known.set(schemaId, lookup);
    return lookup;
  }

  /** The registry's answer to a GET about one schema id; undefined when it does not hold the id (40403). */
  private async ask<T>(schemaId: number, route: string): Promise<T | undefined> {
    const answer = await askRegistry(this.settings, route);
    if (answer.status === 404 && confluentErrorCode(answer.body) === SCHEMA_NOT_FOUND) return undefined;
    if (answer.status !== 200 || answer.body === undefined || answer.body === null) {
      // Any other answer to these routes means the URL is not the Confluent API we expect.
      throw new ConfigError(
        'SCHEMA_REGISTRY_URL',
        `does not serve schemas like a Confluent-compatible registry: ${this.settings.url}${route} ` +
          `answered HTTP ${answer.status} for schema id ${schemaId}: ${describeBody(answer.body)}`,
      );
    }
    return answer.body as T;
  }
}

function unknownId(schemaId: number): SchemaRefusal {
  return { usable: false, reason: 'unknown-schema-id', detail: `schema id ${schemaId} is not in the registry` };
}

function compiled(schemaId: number, version: number, answer: SchemaAnswer): SchemaLookup {
  const type = typeof answer.schemaType === 'string' ? answer.schemaType : 'AVRO';
  if (type !== 'JSON') return unusable(schemaId, `it is a ${type} schema, and bids are JSON`);
  if (typeof answer.schema !== 'string') return unusable(schemaId, 'the registry answered without the schema text');
  try {
    const validate = createAjv().compile(JSON.parse(answer.schema) as object);
    return { usable: true, schema: { schemaId, version, validate } };
  } catch (error) {
    return unusable(schemaId, `it cannot be compiled: ${errorMessage(error)}`);
  }
}

function unusable(schemaId: number, why: string): SchemaRefusal {
  return { usable: false, reason: 'unusable-schema', detail: `schema id ${schemaId}: ${why}` };
}
