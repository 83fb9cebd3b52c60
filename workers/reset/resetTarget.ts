/**
 * Where `npm run sink:reset` moves a sink's positions: the first record still
 * on each partition, the end of each partition, or the first record at or
 * after a moment (Kafka's offsetsForTimes).
 */
export type ResetTarget = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'time'; at: Date };

/** An ISO 8601 date-time with a zone (`Z` or `±hh:mm`), or a bare date meaning its UTC midnight. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Reads the `--to` option, or explains what it accepts. */
export function parseResetTarget(text: string | undefined): ResetTarget {
  if (text === undefined || text.trim() === '') {
    throw new Error('--to is required: earliest, latest, or an ISO time such as 2026-01-31T12:00:00Z');
  }
  const value = text.trim();
  if (value === 'earliest' || value === 'latest') return { kind: value };
  if (!ISO_TIME.test(value)) {
    throw new Error(
      `--to must be earliest, latest, or an ISO time with its zone such as 2026-01-31T12:00:00Z, got "${value}"`,
    );
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`--to "${value}" is not a real date and time`);
  return { kind: 'time', at };
}

/** The target as an operator typed it, for output. */
export function describeResetTarget(target: ResetTarget): string {
  return target.kind === 'time' ? target.at.toISOString() : target.kind;
}
