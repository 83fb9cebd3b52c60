import type { LatencySummary } from '../lib/traffic/latencies';

/** A figure that could not be taken in this run, and why ("no /api/events"). */
export interface Unavailable {
  unavailable: string;
}

export type Measured<T> = T | Unavailable;

export function isUnavailable<T extends object>(value: Measured<T>): value is Unavailable {
  return 'unavailable' in value;
}

/** One endpoint under closed-loop load: `connections` keep-alive connections, each posting as soon as it is answered. */
export interface EndpointLoad {
  connections: number;
  seconds: number;
  /** 2xx answers per second: bids accepted (the app) or validated (the bare endpoint). */
  okPerSecond: number;
  /** Latency of all answers, milliseconds. */
  p50: number;
  p99: number;
  /** Answers other than 2xx, and connection errors or timeouts. */
  non2xx: number;
  errors: number;
}

export interface IngestResult {
  app: EndpointLoad;
  /** Express 5 + express.json + ajv on the same schema and body, no Kafka: what HTTP and validation cost here. */
  bare: EndpointLoad;
}

/** Bids offered on a fixed schedule (open loop) and how long each step took to show them. */
export interface LatencyResult {
  offeredRate: number;
  seconds: number;
  sent: number;
  accepted: number;
  /** Answers other than 201 and requests that failed. */
  refused: number;
  /** How late the sender itself was against its schedule (a loaded benchmark process inflates every figure). */
  senderLateP99Ms: number | null;
  /** Scheduled send → 201 received. */
  acceptance: LatencySummary;
  /** 201 received → the bid's row found in MySQL (polled by bid id). */
  mysqlVisible: LatencySummary;
  /** How often MySQL was asked, on average (the resolution of the figure above). */
  mysqlPollIntervalMs: number | null;
  /** 201 received → its `bid` event read by an SSE client. */
  sse: Measured<LatencySummary>;
}

export interface MemoryResult {
  clients: number;
  /** Bids per second posted while the clients were connected. */
  bidRate: number;
  seconds: number;
  /** The web app's resident memory before the clients connected and the most seen while they were. */
  rssBeforeBytes: number | null;
  rssPeakBytes: number | null;
  /** Clients still connected at the end (a dropped slow client would show here). */
  clientsAtEnd: number;
  /** Bytes of events each client received on average. */
  bytesPerClient: number;
}

/** A rate measured on the same backlog (or the same number of rows), records per second. */
export interface Throughput {
  records: number;
  seconds: number;
  perSecond: number;
}

export interface SinkDrainResult {
  sink: string;
  /** Spawn → partitions assigned. */
  startupSeconds: number | null;
  /** Partitions assigned → every bid of the backlog written (sink_records_written_total). */
  drain: Measured<Throughput>;
  /** The store written without Kafka, the same rows, the same machine. */
  storeCeiling: Measured<Throughput>;
  peakRssBytes: number | null;
}

export interface SinksResult {
  backlog: number;
  produceSeconds: number;
  /** node-rdkafka consuming the backlog and JSON-parsing each value, nothing else. */
  consumeCeiling: Measured<Throughput>;
  drains: SinkDrainResult[];
  /** Each worker's CPU, % of one core, measured while it had nothing to do. */
  idleCpu: { sink: string; percentOfCore: number | null; seconds: number }[];
}

export interface BenchResult {
  startedAt: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string };
  durationSeconds: number;
  ingest?: Measured<IngestResult>;
  latency?: Measured<LatencyResult>;
  memory?: Measured<MemoryResult>;
  sinks?: Measured<SinksResult>;
}
