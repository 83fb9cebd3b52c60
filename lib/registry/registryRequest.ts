import { ConfigError } from '../env';
import { errorMessage } from '../errorMessage';
import { RegistryUnavailableError } from './registryUnavailableError';
import type { RegistrySettings } from './settings';

/** How long one registry request may take before it counts as the registry being unavailable. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The Confluent API's error body: `{"error_code": 40403, "message": "Schema 7 not found."}`. */
export interface RegistryErrorBody {
  error_code?: number;
  message?: string;
}

/**
 * A registry answer the caller has to judge: 2xx, or a 404 that carries a
 * Confluent `error_code` (the registry's own "not found", e.g. 40403 for a
 * schema id it does not hold). Everything else has been classified already.
 */
export interface RegistryAnswer {
  status: number;
  body: unknown;
}

/**
 * Sends one request to the Confluent-compatible API and sorts failures by
 * whose fault they are, since a worker answers each kind differently:
 *
 * - no answer, a timeout, or 5xx/429: the registry is unavailable for now
 *   (`RegistryUnavailableError`, waited out);
 * - 401/403: the credentials are wrong (`ConfigError` naming
 *   SCHEMA_REGISTRY_BASIC_AUTH);
 * - a 404 without a Confluent `error_code`: the URL does not point at the
 *   Confluent API at all, e.g. a wrong path in front of `/schemas/…`
 *   (`ConfigError` naming SCHEMA_REGISTRY_URL). Both Confluent's registry and
 *   Apicurio's ccompat API put an `error_code` on every 404 of their own.
 */
export async function askRegistry(
  settings: RegistrySettings,
  route: string,
  init: { method?: string; body?: unknown } = {},
): Promise<RegistryAnswer> {
  const url = `${settings.url}${route}`;
  const headers: Record<string, string> = { Accept: 'application/vnd.schemaregistry.v1+json, application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/vnd.schemaregistry.v1+json';
  if (settings.basicAuth) {
    const { username, password } = settings.basicAuth;
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    text = await response.text();
  } catch (error) {
    throw new RegistryUnavailableError(`cannot reach the schema registry at ${settings.url}: ${networkCause(error)}`);
  }
  const body = parseBody(text);
  const { status } = response;
  if (status >= 500 || status === 429) {
    throw new RegistryUnavailableError(
      `the schema registry at ${settings.url} answered HTTP ${status} to ${route}: ${describeBody(body, text)}`,
    );
  }
  if (status === 401 || status === 403) {
    throw new ConfigError(
      'SCHEMA_REGISTRY_BASIC_AUTH',
      `is not accepted by the schema registry at ${settings.url} (HTTP ${status} to ${route}): ` +
        (settings.basicAuth ? 'check the user and password (API key and secret)' : 'it asks for credentials; set it'),
    );
  }
  if (status === 404 && confluentErrorCode(body) === undefined) {
    throw new ConfigError(
      'SCHEMA_REGISTRY_URL',
      `does not point at a Confluent-compatible schema registry API: ${settings.url}${route} answered HTTP 404 ` +
        'without a registry error code (for Apicurio the URL ends in /apis/ccompat/v7)',
    );
  }
  return { status, body };
}

/** The Confluent `error_code` of an answer body, if it has one. */
export function confluentErrorCode(body: unknown): number | undefined {
  if (body && typeof body === 'object' && 'error_code' in body && typeof body.error_code === 'number') {
    return body.error_code;
  }
  return undefined;
}

/** The registry's own words for an error answer, for a detail or a log line. */
export function describeBody(body: unknown, text = ''): string {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return text.slice(0, 200) || '(empty answer)';
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** fetch reports every network failure as "fetch failed" and keeps the useful code in `cause`. */
function networkCause(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return errorMessage(error);
}
