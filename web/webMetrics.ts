import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UnavailableReason } from './readUnavailable';

/** Why a valid bid was not accepted, as counted by `web_bid_delivery_errors_total{kind}`. */
export type DeliveryErrorKind = 'busy' | 'not-placed' | 'unknown' | 'fatal';

/**
 * Latency buckets, in seconds: fine between 0.5 and 10 ms, where an accepted
 * bid should be answered, then coarser up to the acknowledgement timeout.
 */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The web process's Prometheus metrics, served at `GET /metrics`: created
 * once in web/main.ts and handed to everything that counts through the app
 * context. One registry per process, so tests and several apps in one
 * process never share counters.
 */
export class WebMetrics {
  readonly registry = new Registry();
  /** Answered requests by route pattern (never the raw URL), method and status. */
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  /** From the request's arrival to its answer's last byte handed to the socket. */
  readonly httpRequestDuration: Histogram<'route' | 'method'>;
  /** Bids handed to Kafka and still waiting for their delivery report. */
  readonly bidsInFlight: Gauge;
  /** Valid bids not accepted, by kind (see `DeliveryErrorKind`). */
  readonly bidDeliveryErrors: Counter<'kind'>;
  /** Live-event (SSE) clients connected to this instance right now. */
  readonly sseClients: Gauge;
  /** Live-event clients disconnected for falling behind (their buffer was full). */
  readonly sseDroppedClients: Counter;
  /** Dashboard streams (`/api/dashboard/events`) connected to this instance right now. */
  readonly dashboardClients: Gauge;
  /** Queries sent to MySQL, by read (`ReadName`): what the shared reads save shows here. */
  readonly mysqlQueries: Counter<'read'>;
  /** Reads from MySQL that got no answer, by reason (`UnavailableReason`). */
  readonly mysqlReadsUnavailable: Counter<'reason'>;
  /** Connections closed on arrival because `HTTP_MAX_CONNECTIONS` were open. */
  readonly httpConnectionsDropped: Counter;

  constructor() {
    const registers = [this.registry];
    // The process's own figures (memory, event-loop lag…). The lag monitor samples every 100 ms rather
    // than prom-client's 10 ms: at 10 ms it alone more than doubled an idle web process's CPU.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
    this.httpRequests = new Counter({
      name: 'web_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpRequestDuration = new Histogram({
      name: 'web_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by route pattern and method.',
      labelNames: ['route', 'method'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.bidsInFlight = new Gauge({
      name: 'web_bids_in_flight',
      help: 'Bids sent to Kafka and still waiting for their delivery report.',
      registers,
    });
    this.bidDeliveryErrors = new Counter({
      name: 'web_bid_delivery_errors_total',
      help: 'Valid bids not accepted, by kind: busy (too many in flight), not-placed (never written), unknown (unconfirmed), fatal (the producer failed).',
      labelNames: ['kind'],
      registers,
    });
    this.sseClients = new Gauge({
      name: 'web_sse_clients',
      help: 'Live-event (SSE) clients connected to this instance.',
      registers,
    });
    this.dashboardClients = new Gauge({
      name: 'web_dashboard_clients',
      help: 'Dashboard streams (SSE, /api/dashboard/events) connected to this instance.',
      registers,
    });
    this.sseDroppedClients = new Counter({
      name: 'web_sse_dropped_clients_total',
      help: 'Live-event and dashboard (SSE) clients disconnected because they fell behind.',
      registers,
    });
    this.mysqlQueries = new Counter({
      name: 'web_mysql_queries_total',
      help: 'Queries sent to MySQL, by read: highest_overall, highest_item, recent_bids, active_lots, dashboard, readiness.',
      labelNames: ['read'],
      registers,
    });
    this.mysqlReadsUnavailable = new Counter({
      name: 'web_mysql_reads_unavailable_total',
      help: 'Reads from MySQL that got no answer, by reason: unreachable, busy (the connection queue was full), timeout.',
      labelNames: ['reason'],
      registers,
    });
    this.httpConnectionsDropped = new Counter({
      name: 'web_http_connections_dropped_total',
      help: 'Connections closed on arrival because HTTP_MAX_CONNECTIONS were already open.',
      registers,
    });
    // Every kind shows from the start, at 0, so a rate over it is defined before the first error.
    for (const kind of ['busy', 'not-placed', 'unknown', 'fatal'] satisfies DeliveryErrorKind[]) {
      this.bidDeliveryErrors.inc({ kind }, 0);
    }
    for (const reason of ['unreachable', 'busy', 'timeout'] satisfies UnavailableReason[]) {
      this.mysqlReadsUnavailable.inc({ reason }, 0);
    }
  }
}
