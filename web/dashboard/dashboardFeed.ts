import type { ServerResponse } from 'node:http';
import type { Counter, Gauge } from 'prom-client';
import type { Logger } from '../../lib/logger';
import { MAX_CLIENT_BUFFER_BYTES } from '../live/liveClients';
import type { DashboardSnapshots } from './dashboardSnapshots';
import type { DashboardSnapshot } from './dashboardWindows';

/** How often the dashboard's figures are read and pushed to every open dashboard. */
export const DASHBOARD_REFRESH_MS = 1_000;

/** `web_dashboard_clients` and the live streams' `web_sse_dropped_clients_total`. */
export interface DashboardFeedMetrics {
  clients: Gauge;
  droppedClients: Counter;
}

/** The text of one `snapshot` event. */
function snapshotFrame(snapshot: DashboardSnapshot): Buffer {
  return Buffer.from(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`, 'utf8');
}

/**
 * The open dashboard streams (`GET /api/dashboard/events`) of this
 * instance. While at least one is open, the figures are read once every
 * `DASHBOARD_REFRESH_MS` (one query, whatever the number of clients) and
 * the snapshot, encoded once, is written to every stream; with none open
 * nothing is read. A stream opens with the latest snapshot. A client whose
 * connection holds more than 1 MiB unsent (several minutes of snapshots) is
 * disconnected and counted as a dropped live client; its browser reconnects.
 */
export class DashboardFeed {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private reading = false;

  constructor(
    private readonly snapshots: DashboardSnapshots,
    private readonly metrics: DashboardFeedMetrics,
    private readonly log: Logger,
    private readonly refreshMs = DASHBOARD_REFRESH_MS,
  ) {}

  get count(): number {
    return this.clients.size;
  }

  /** Adds a stream whose headers are sent; it gets the latest snapshot now, then every one read after. */
  open(response: ServerResponse): void {
    this.clients.add(response);
    this.metrics.clients.set(this.clients.size);
    response.once('close', () => {
      this.clients.delete(response);
      this.metrics.clients.set(this.clients.size);
      if (this.clients.size === 0) this.stopTimer();
    });
    void this.snapshots.latest().then((snapshot) => this.write(response, snapshotFrame(snapshot)));
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.refresh(), this.refreshMs);
      this.timer.unref();
    }
  }

  /** Ends every stream (shutdown): the browsers reconnect once the app is back. */
  closeAll(): void {
    this.stopTimer();
    for (const client of this.clients) client.end();
    this.clients.clear();
    this.metrics.clients.set(0);
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async refresh(): Promise<void> {
    // A read slower than the interval is not joined by the next tick: that tick is skipped.
    if (this.reading) return;
    this.reading = true;
    try {
      const frame = snapshotFrame(await this.snapshots.fresh());
      for (const client of this.clients) this.write(client, frame);
    } finally {
      this.reading = false;
    }
  }

  private write(client: ServerResponse, frame: Buffer): void {
    if (client.destroyed || !this.clients.has(client)) return;
    if (client.writableLength > MAX_CLIENT_BUFFER_BYTES) {
      this.clients.delete(client);
      this.metrics.clients.set(this.clients.size);
      this.metrics.droppedClients.inc();
      this.log.info(
        { bytesWaiting: client.writableLength },
        'dashboard client dropped: it reads too slowly; its browser reconnects',
      );
      client.destroy();
      return;
    }
    client.write(frame);
  }
}
