import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../../lib/logger';
import { errorMessage } from '../../lib/errorMessage';

/** Where each assigned partition stands, for the lag gauge: read when Prometheus scrapes. */
export type LagSource = () => { partition: number; lag: number }[];

/** Which partitions are paused and why, read when Prometheus scrapes. */
export type PauseSource = () => { partitions: number[]; reasons: string[] };

/**
 * The worker's Prometheus metrics, and the `/metrics` endpoint that serves
 * them when METRICS_PORT is set (on METRICS_HOST, loopback by default). Each
 * worker has its own registry, labelled with its sink, so several workers
 * can be scraped side by side.
 */
export class SinkMetrics {
  readonly registry = new Registry();
  readonly recordsWritten: Counter;
  readonly deadLetters: Counter<'reason'>;
  readonly batches: Counter;
  readonly batchDuration: Histogram;
  readonly lastWriteTimestamp: Gauge;
  readonly waitingForStore: Gauge;
  readonly recordsSkipped: Counter<'reason'>;
  readonly retentionRemoved: Counter;
  readonly assignmentDoubts: Counter;
  private server: http.Server | undefined;

  constructor(sink: string, lagSource: LagSource, pauseSource: PauseSource, batchAgeMs: () => number = () => 0) {
    this.registry.setDefaultLabels({ sink });
    const registers = [this.registry];
    this.recordsWritten = new Counter({
      name: 'sink_records_written_total',
      help: 'Bids written to the store.',
      registers,
    });
    this.deadLetters = new Counter({
      name: 'sink_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.batches = new Counter({ name: 'sink_batches_total', help: 'Batches written to the store.', registers });
    this.batchDuration = new Histogram({
      name: 'sink_batch_duration_seconds',
      help: 'Time to decode, dead-letter and write one batch, retries included.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.lastWriteTimestamp = new Gauge({
      name: 'sink_last_write_timestamp_seconds',
      help: 'Unix time of the last successful batch write.',
      registers,
    });
    this.waitingForStore = new Gauge({
      name: 'sink_waiting_for_store',
      help: '1 while the worker is retrying a batch the store refused for a transient reason.',
      registers,
    });
    new Gauge({
      name: 'sink_batch_in_hand_seconds',
      help: 'How long the batch being written has been in hand (0 when none): grows while a store call hangs.',
      registers,
      collect() {
        this.set(batchAgeMs() / 1000);
      },
    });
    this.recordsSkipped = new Counter({
      name: 'sink_records_skipped_total',
      help: 'Records read but deliberately not written, by reason (replay-for-another-sink, repeat, not-assigned).',
      labelNames: ['reason'],
      registers,
    });
    this.retentionRemoved = new Counter({
      name: 'sink_retention_removed_records_total',
      help: 'Records retention removed from the topic before this sink read them (found on assignment).',
      registers,
    });
    this.assignmentDoubts = new Counter({
      name: 'sink_assignment_doubts_total',
      help: 'Times a batch was held back because the group may have moved its partitions (a stall, a pending revoke).',
      registers,
    });
    new Gauge({
      name: 'sink_partitions_paused',
      help: 'Assigned partitions paused right now, by reason (waiting: a store, registry or DLQ outage; backpressure: the next batch is full).',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        const { partitions, reasons } = pauseSource();
        for (const reason of reasons) this.set({ reason }, partitions.length);
      },
    });
    new Gauge({
      name: 'sink_consumer_lag',
      help: 'Records on the partition not yet durably written: high watermark minus written position.',
      labelNames: ['partition'],
      registers,
      collect() {
        this.reset();
        for (const { partition, lag } of lagSource()) this.set({ partition: String(partition) }, lag);
      },
    });
  }

  /** Serves `/metrics` on `host`:`port` (port 0 picks a free one); resolves with the port in use. */
  async listen(host: string, port: number, log: Logger): Promise<number> {
    this.server = http.createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text),
        (error: unknown) => {
          log.warn({ err: errorMessage(error) }, 'metrics collection failed');
          response.writeHead(500).end();
        },
      );
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `cannot serve /metrics on ${host}:${port} (METRICS_HOST, METRICS_PORT): ${error.code ?? error.message}`,
          ),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
