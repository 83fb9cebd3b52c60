import type { Counter, Gauge } from 'prom-client';

/**
 * The live stream's Prometheus metrics: `web_sse_clients` (clients connected
 * to /api/events now) and `web_sse_dropped_clients_total` (clients
 * disconnected because they fell behind). Both are registered with the rest
 * of the web app's metrics (web/webMetrics.ts) and served at /metrics.
 */
export interface SseMetrics {
  readonly clients: Gauge;
  readonly droppedClients: Counter;
}
