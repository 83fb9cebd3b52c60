/**
 * The value of `sink_records_written_total` in a worker's Prometheus text
 * (`GET /metrics`, METRICS_PORT): the bids it has made durable. The
 * benchmark reads it rather than counting rows in the store, which would
 * load the very store being measured (a COUNT(*) over 500,000 InnoDB rows
 * takes longer than a batch). Labels, if any, are summed over.
 */
export function recordsWrittenFrom(metricsText: string): number | undefined {
  let total: number | undefined;
  for (const line of metricsText.split('\n')) {
    const match = /^sink_records_written_total(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[1]);
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}
