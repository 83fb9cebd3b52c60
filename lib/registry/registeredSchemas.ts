import { createAjv } from '../bid/ajv';
import { ConfigError } from '../env';
import { errorMessage } from '../errorMessage';
import { askRegistry, confluentErrorCode, describeBody } from './registryRequest';
import type { RegistrySettings } from './settings';

/** The Confluent API's "schema not found" (GET /schemas/ids/{id} for an id it does not hold). */
const SCHEMA_NOT_FOUND = 40403;

/** Whether records framed with a schema id can be read, and if not, why not (a dead-letter reason). */
export type SchemaLookup =
  { usable: true } | { usable: false; reason: 'unknown-schema-id' | 'unusable-schema'; detail: string };

/** `GET /schemas/ids/{id}`: the schema text, and its type (absent means AVRO, by the Confluent API's rule). */
interface SchemaAnswer {
  schema?: unknown;
  schemaType?: unknown;
}

/**
 * The schemas records on the topic name by id, looked up once per id.
 *
 * Each schema is compiled with its own fresh ajv instance: one shared
 * instance refuses a second schema with an `$id` it already holds, which is
 * exactly what two versions of one schema look like. A schema our ajv cannot
 * compile (a keyword it does not know, such as Kafka Connect's
 * `connect.index`) makes its records unreadable, which is the record's
 * fault, not the registry's: the answer is remembered like a usable one,
 * since a registered schema never changes. An id the registry does not hold
 * is not remembered, so arbitrary ids on a bad topic cannot fill memory.
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
    const answer = await askRegistry(this.settings, `/schemas/ids/${schemaId}`);
    if (answer.status === 404 && confluentErrorCode(answer.body) === SCHEMA_NOT_FOUND) {
      return { usable: false, reason: 'unknown-schema-id', detail: `schema id ${schemaId} is not in the registry` };
    }
    if (answer.status !== 200) {
      // Any other answer to this route means the URL is not the Confluent API we expect.
      throw new ConfigError(
        'SCHEMA_REGISTRY_URL',
        `does not serve schemas like a Confluent-compatible registry: ${this.settings.url}/schemas/ids/${schemaId} ` +
          `answered HTTP ${answer.status}: ${describeBody(answer.body)}`,
      );
    }
    const lookup = compiled(schemaId, answer.body as SchemaAnswer);
    this.known.set(schemaId, lookup);
    return lookup;
  }
}

function compiled(schemaId: number, answer: SchemaAnswer): SchemaLookup {
  const type = typeof answer.schemaType === 'string' ? answer.schemaType : 'AVRO';
  if (type !== 'JSON') return unusable(schemaId, `it is a ${type} schema, and bids are JSON`);
  if (typeof answer.schema !== 'string') return unusable(schemaId, 'the registry answered without the schema text');
  try {
    createAjv().compile(JSON.parse(answer.schema) as object);
  } catch (error) {
    return unusable(schemaId, `it cannot be compiled: ${errorMessage(error)}`);
  }
  return { usable: true };
}

function unusable(schemaId: number, why: string): SchemaLookup {
  return { usable: false, reason: 'unusable-schema', detail: `schema id ${schemaId}: ${why}` };
}
