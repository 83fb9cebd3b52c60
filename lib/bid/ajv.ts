import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * A fresh draft-07 ajv instance with the standard formats (`uuid`,
 * `date-time`, …). Each user gets its own instance: ajv refuses to compile
 * two schemas with the same `$id` into one instance, and the registry codec
 * compiles whatever schema versions it meets on the topic.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv;
}
