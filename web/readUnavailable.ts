/**
 * Why a read from MySQL got no answer: MySQL cannot be reached (or failed
 * the query), too many reads were already waiting for a connection
 * (`MYSQL_QUEUE_LIMIT`), or no answer came within `MYSQL_QUERY_TIMEOUT_MS`.
 */
export type UnavailableReason = 'unreachable' | 'busy' | 'timeout';

/** A figure that could not be read, and why. */
export interface ReadUnavailable {
  state: 'unavailable';
  reason: UnavailableReason;
}

/** A read from MySQL that got no answer; `message` is for the log (it may name hosts and users), never for clients. */
export class MysqlReadError extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MysqlReadError';
  }
}

export function unavailableOf(error: unknown): ReadUnavailable {
  return { state: 'unavailable', reason: error instanceof MysqlReadError ? error.reason : 'unreachable' };
}

/** Why, as the API's 503 says it (after "… is unavailable: "); nothing about hosts or users. */
export function unavailableCause(reason: UnavailableReason): string {
  switch (reason) {
    case 'unreachable':
      return 'MySQL cannot be reached';
    case 'busy':
      return 'too many reads are already waiting for MySQL';
    case 'timeout':
      return 'MySQL did not answer in time';
  }
}

/** The 503's Retry-After, in seconds: a full queue empties in moments; an outage or a stall takes longer. */
export function retryAfterSeconds(reason: UnavailableReason): number {
  return reason === 'busy' ? 1 : 5;
}
