import { errorMessage } from '../../lib/errorMessage';

/** What the `odbc` package attaches to its errors: the driver's diagnostic records. */
interface OdbcDiagnostic {
  state?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * What a failed ODBC call means for the batch:
 * - `transient`: wait it out and retry (the link failed, a timeout, a lock wait, a lost race);
 * - `refused-data`: a value the store will not hold, so the same rows fail again;
 * - `missing-table`: HIVE_TABLE does not name a table (any more);
 * - `access-denied`: the data source refuses the login or a privilege;
 * - `other`: anything else, which fails the same way again.
 */
export type OdbcFailure = 'transient' | 'refused-data' | 'missing-table' | 'access-denied' | 'other';

/**
 * SQLSTATEs worth waiting out: the connection could not be made or failed
 * (08…, but see 08S01 below), a timeout (HYT00, HYT01), the server shutting
 * down or restarting (57P01–03), a serialisation or deadlock race (40001,
 * 40P01), a lock wait that timed out (55P03), insufficient resources such as
 * a full disk or too many connections (53…).
 */
const TRANSIENT_STATES = /^(08|HYT0[01]$|57P0[1-3]$|40001$|40P01$|55P03$|53)/;

/**
 * 08S01 is "communication link failure" in ODBC, but HiveServer2 reports
 * statements it could not compile or run under it too. Only words about the
 * link make it transient.
 */
const LINK_FAILED =
  /connection (?:has been |was )?lost|lost connection|connection (?:reset|refused|closed|aborted)|closed the connection|broken pipe|socket|timed? ?out|\bEOF\b|could not (?:connect|receive|send)|unable to connect|no route to host|network is unreachable/i;

/** HiveServer2's words for a statement that reached it and failed there: not a link failure, whatever follows. */
const STATEMENT_FAILED = /Error while (?:compiling|processing) statement|FAILED: |SemanticException|ParseException/i;

/** Hive's lock manager gave up waiting: the statement can succeed later (Hive says to retry). */
const HIVE_LOCK_WAIT = /Locks on the underlying objects cannot be acquired|Error in acquiring locks/i;

/** Hive's constraint check (Hive 3+: CHECK and NOT NULL) refused a row. */
const HIVE_DATA_REFUSED = /DataConstraintViolationError|constraint violated/i;

const HIVE_TABLE_MISSING = /Table not found|Database does not exist|\[Error 10001\]/i;

const ACCESS_DENIED =
  /Permission denied|HiveAccessControlException|does not have \[[^\]]*\] privilege|Error validating the login|authentication failed|Error occured during authentication/i;

/** The driver's diagnostic records of an error thrown by the `odbc` package, in the driver's order. */
function diagnosticsOf(error: unknown): { state: string; message: string }[] {
  if (!error || typeof error !== 'object') return [];
  const diagnostics = (error as { odbcErrors?: unknown }).odbcErrors;
  if (!Array.isArray(diagnostics)) return [];
  return diagnostics.map((diagnostic: OdbcDiagnostic) => ({
    state: typeof diagnostic.state === 'string' ? diagnostic.state : '',
    message: typeof diagnostic.message === 'string' ? diagnostic.message : '',
  }));
}

/** The SQLSTATEs of an error thrown by the `odbc` package, in the driver's order. */
export function sqlStatesOf(error: unknown): string[] {
  return diagnosticsOf(error)
    .map((diagnostic) => diagnostic.state)
    .filter((state) => state !== '');
}

/** The driver's own words for an `odbc` error, which the package's message ("[odbc] Error executing the sql statement") hides. */
export function describeOdbcError(error: unknown): string {
  if (!error || typeof error !== 'object') return String(error);
  const diagnostics = (error as { odbcErrors?: unknown }).odbcErrors;
  const base = errorMessage(error);
  if (!Array.isArray(diagnostics) || diagnostics.length === 0) return base;
  const details = diagnostics.map((d: OdbcDiagnostic) => `${String(d.state)}: ${String(d.message)}`.trim());
  return `${base} (${details.join('; ')})`;
}

function isTransientDiagnostic({ state, message }: { state: string; message: string }): boolean {
  if (state === '08S01') return !STATEMENT_FAILED.test(message) && LINK_FAILED.test(message);
  return TRANSIENT_STATES.test(state);
}

/**
 * What an error from the `odbc` package means, from the SQLSTATEs and
 * messages of its diagnostic records. PostgreSQL's states are exact; Hive's
 * drivers put most server failures under HY000 or 08S01, so for the hive
 * dialect the message decides. Data and configuration faults are checked
 * before the transient states, since a Hive driver may file them under
 * 08S01 too.
 */
export function odbcFailureOf(error: unknown): OdbcFailure {
  const diagnostics = diagnosticsOf(error);
  if (diagnostics.some(({ message }) => HIVE_LOCK_WAIT.test(message))) return 'transient';
  if (diagnostics.some(({ state, message }) => /^2[23]/.test(state) || HIVE_DATA_REFUSED.test(message))) {
    return 'refused-data';
  }
  if (
    diagnostics.some(
      ({ state, message }) => ['42P01', '42S02', '3F000'].includes(state) || HIVE_TABLE_MISSING.test(message),
    )
  ) {
    return 'missing-table';
  }
  if (diagnostics.some(({ state, message }) => state === '42501' || /^28/.test(state) || ACCESS_DENIED.test(message))) {
    return 'access-denied';
  }
  return diagnostics.some(isTransientDiagnostic) ? 'transient' : 'other';
}
