import { performance } from 'node:perf_hooks';
import type mysql from 'mysql2/promise';
import { Latencies } from '../lib/traffic/latencies';

/**
 * Measures accepted → visible in MySQL by asking MySQL itself, by primary
 * key, for the accepted bids it has not shown yet, over and over (one query
 * in flight at a time). Not through `GET /api/items/:item/highest`: that
 * shows only the highest bid of a lot, so a bid that is not the highest
 * would never be seen, and it would load the web app being measured. The
 * latency runs from the 201 to the answer of the first query that found the
 * row, so it is over by at most one query's time; the average time between
 * queries is reported as the figure's resolution.
 */
export class MysqlVisibility {
  readonly latencies = new Latencies();
  private readonly pending = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;
  private queries = 0;
  private pollingSince = 0;
  private failure: unknown;

  constructor(private readonly pool: mysql.Pool) {}

  /** A bid answered 201 at `acceptedAt` (performance.now()). */
  expect(bidId: string, acceptedAt: number): void {
    this.pending.set(bidId, acceptedAt);
  }

  get waiting(): number {
    return this.pending.size;
  }

  start(): void {
    this.running = true;
    this.pollingSince = performance.now();
    this.loop = this.poll();
  }

  private async poll(): Promise<void> {
    while (this.running) {
      if (this.pending.size === 0) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      const ids = [...this.pending.keys()].slice(0, 2_000);
      let rows: mysql.RowDataPacket[];
      try {
        [rows] = await this.pool.query<mysql.RowDataPacket[]>('SELECT bid_id FROM bids WHERE bid_id IN (?)', [ids]);
      } catch (error) {
        // Said when the run stops: a figure from a MySQL that stopped answering would be wrong.
        this.failure = error;
        this.running = false;
        return;
      }
      const seenAt = performance.now();
      this.queries++;
      for (const row of rows) {
        const bidId = String(row.bid_id);
        const acceptedAt = this.pending.get(bidId);
        if (acceptedAt === undefined) continue;
        this.latencies.record(Math.max(0, seenAt - acceptedAt));
        this.pending.delete(bidId);
      }
    }
  }

  /** Average milliseconds between two queries while polling. */
  get pollIntervalMs(): number | null {
    return this.queries === 0 ? null : (performance.now() - this.pollingSince) / this.queries;
  }

  /** Stops polling; bids still not seen are counted as never having come. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    if (this.failure !== undefined)
      throw new Error(`MySQL stopped answering the visibility queries: ${String(this.failure)}`);
    this.latencies.recordMissing(this.pending.size);
    this.pending.clear();
  }
}
