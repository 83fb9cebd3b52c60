import http from 'node:http';
import type { Counter } from 'prom-client';
import type { HttpSettings } from './httpSettings';

/** Node checks its header and request timeouts only this often at most (its default, 30 s, would let them run long). */
const MAX_CHECK_INTERVAL_MS = 1_000;

/**
 * The HTTP server with the app's own limits instead of Node's defaults
 * (headers 60 s, request 300 s, no connection cap): a client that sends its
 * headers or body slowly is answered 408 and cut off after
 * `headersTimeoutMs` / `requestTimeoutMs`; both bound receiving a request
 * only, so a live stream (a long answer) stays open. Connections past
 * `maxConnections` are closed as they arrive, and counted in `dropped`.
 */
export function createHttpServer(app: http.RequestListener, settings: HttpSettings, dropped: Counter): http.Server {
  const server = http.createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(settings.headersTimeoutMs / 2)),
    },
    app,
  );
  server.maxConnections = settings.maxConnections;
  server.on('drop', () => dropped.inc());
  return server;
}
