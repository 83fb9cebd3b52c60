import { StoreRefusedError, type SinkRecord } from '../runtime/sink';
import { malformedTextOf } from '../runtime/malformedText';

/**
 * Refuses, naming them, the records whose item or name MySQL cannot hold as
 * given: mysql2 would encode a lone surrogate as U+FFFD, a value other than
 * the bid's.
 */
export function refuseMalformedText(records: readonly SinkRecord[]): void {
  const malformed = malformedTextOf(records);
  if (malformed.length === 0) return;
  const refused = [...new Set(malformed.map(({ record }) => record))];
  throw new StoreRefusedError(
    `MySQL cannot store an item or name that is not well-formed Unicode (a lone surrogate); bid ${refused
      .map((record) => record.bid.bid_id)
      .join(', ')}`,
    refused,
  );
}
