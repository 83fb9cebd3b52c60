import { ConfigError, integerSetting, type Env } from '../lib/env';

/** The HTTP server's own limits: how long a client may take to send a request, and how many connections it holds. */
export interface HttpSettings {
  /** The longest a client may take to send a request's headers. */
  headersTimeoutMs: number;
  /** The longest a client may take to send a whole request, body included (not the answer: live streams stay open). */
  requestTimeoutMs: number;
  /** How long a connection may stay idle between two requests. */
  keepAliveTimeoutMs: number;
  /** Open connections at once, live streams included; one more is closed as soon as it is accepted. */
  maxConnections: number;
}

/** Connections left for pages, bids and reads when every live stream is open, unless HTTP_MAX_CONNECTIONS is set. */
const CONNECTIONS_BESIDES_LIVE_STREAMS = 1000;

export function readHttpSettings(env: Env, sseMaxClients: number): HttpSettings {
  const headersTimeoutMs = integerSetting(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, { min: 500, max: 300_000 });
  const requestTimeoutMs = integerSetting(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, { min: 500, max: 3_600_000 });
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new ConfigError(
      'HTTP_REQUEST_TIMEOUT_MS',
      `must be at least HTTP_HEADERS_TIMEOUT_MS (${headersTimeoutMs}), got ${requestTimeoutMs}`,
    );
  }
  const maxConnections = integerSetting(env, 'HTTP_MAX_CONNECTIONS', sseMaxClients + CONNECTIONS_BESIDES_LIVE_STREAMS, {
    min: 1,
    max: 10_000_000,
  });
  if (maxConnections <= sseMaxClients) {
    throw new ConfigError(
      'HTTP_MAX_CONNECTIONS',
      `must be greater than SSE_MAX_CLIENTS (${sseMaxClients}), so that pages and bids are served while every live stream is open; got ${maxConnections}`,
    );
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integerSetting(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5000, { min: 100, max: 600_000 }),
    maxConnections,
  };
}
