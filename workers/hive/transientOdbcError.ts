import { errorMessage } from '../../lib/errorMessage';
/** What the `odbc` package attaches to its errors: the driver's diagnostic records. */
interface OdbcDiagnostic {
  state?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * SQLSTATE classes and codes a batch should wait out: the connection failed
 * or was lost (08…), a timeout (HYT00, HYT01), the server is shutting down or
 * restarting (57P…), or the transaction lost a serialisation or deadlock
 * race (40001, 40P01). Everything else (a syntax error, a missing table, a
 * permission) fails the same way again.
 */
const TRANSIENT_STATES = /^(08|HYT0[01]$|57P0[1-3]$|40001$|40P01$)/;

/** The SQLSTATEs of an error thrown by the `odbc` package, in the driver's order. */
export function sqlStatesOf(error: unknown): string[] {
  if (!error || typeof error !== 'object') return [];
  const diagnostics = (error as { odbcErrors?: unknown }).odbcErrors;
  if (!Array.isArray(diagnostics)) return [];
  return diagnostics
    .map((diagnostic: OdbcDiagnostic) => diagnostic.state)
    .filter((state): state is string => typeof state === 'string');
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

export function isTransientOdbcError(error: unknown): boolean {
  return sqlStatesOf(error).some((state) => TRANSIENT_STATES.test(state));
}
