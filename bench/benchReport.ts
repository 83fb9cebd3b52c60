import {
  isUnavailable,
  type BenchResult,
  type Measured,
  type SinkDrainResult,
  type SinksResult,
  type Throughput,
} from './benchResult';
import type { LatencySummary } from '../lib/traffic/latencies';
import { TARGETS, verdict, type Verdict } from './targets';

/** One line of the final table: a figure, its ceiling from the same run, and the target it is held to. */
export interface ReportRow {
  figure: string;
  measured: string;
  ceiling: string;
  ratio: string;
  target: string;
  verdict: Verdict | '';
}

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatRate(perSecond: number, unit: string): string {
  return `${whole.format(perSecond)} ${unit}/s`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return 'n/a';
  if (ms === Infinity) return 'never';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${whole.format(ms)} ms`;
}

function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(0)} %`;
}

function formatMB(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 1e6).toFixed(0)} MB`;
}

function percentiles(summary: LatencySummary): string {
  const missing = summary.missing > 0 ? ` (${summary.missing} never came)` : '';
  return `p50 ${formatMs(summary.p50)}, p99 ${formatMs(summary.p99)}${missing}`;
}

function unavailableRow(figure: string, measured: Measured<object> | undefined, target: string): ReportRow {
  const why = measured && isUnavailable(measured) ? measured.unavailable : 'not run';
  return { figure, measured: `n/a (${why})`, ceiling: '', ratio: '', target, verdict: 'n/a' };
}

function ingestRows(result: BenchResult): ReportRow[] {
  const target = `≥ ${formatPercent(TARGETS.ingestShareOfBare)} of bare`;
  const ingest = result.ingest;
  if (ingest === undefined) return [];
  if (isUnavailable(ingest)) return [unavailableRow('ingest: POST /api/bids', ingest, target)];
  const { app, bare } = ingest;
  const share = bare.okPerSecond > 0 ? app.okPerSecond / bare.okPerSecond : null;
  const failures = app.non2xx + app.errors > 0 ? `; ${app.non2xx} non-2xx, ${app.errors} errors` : '';
  return [
    {
      figure: `ingest: POST /api/bids, ${app.connections} keep-alive connections`,
      measured: `${formatRate(app.okPerSecond, 'bids')} (p50 ${formatMs(app.p50)}, p99 ${formatMs(app.p99)}${failures})`,
      ceiling: `bare Express 5 + ajv: ${formatRate(bare.okPerSecond, 'req')} (p50 ${formatMs(bare.p50)}, p99 ${formatMs(bare.p99)})`,
      ratio: share === null ? 'n/a' : formatPercent(share),
      target,
      verdict: verdict(share, 'atLeast', TARGETS.ingestShareOfBare),
    },
  ];
}

function latencyRows(result: BenchResult): ReportRow[] {
  const latency = result.latency;
  if (latency === undefined) return [];
  const targets = {
    acceptance: `p99 ≤ ${TARGETS.acceptanceP99Ms} ms`,
    mysql: `p99 ≤ ${TARGETS.mysqlVisibleP99Ms} ms`,
    sse: `p99 ≤ ${TARGETS.sseP99Ms} ms`,
  };
  if (isUnavailable(latency)) {
    return [
      unavailableRow('1,000 bids/s: acceptance', latency, targets.acceptance),
      unavailableRow('1,000 bids/s: accepted → visible in MySQL', latency, targets.mysql),
      unavailableRow('1,000 bids/s: accepted → received over SSE', latency, targets.sse),
    ];
  }
  const rate = `${whole.format(latency.offeredRate)} bids/s`;
  const refused = latency.refused > 0 ? `; ${latency.refused} of ${latency.sent} not accepted` : '';
  const rows: ReportRow[] = [
    {
      figure: `${rate} (open loop): acceptance`,
      measured: percentiles(latency.acceptance) + refused,
      ceiling: '',
      ratio: '',
      target: targets.acceptance,
      verdict: verdict(latency.acceptance.p99, 'atMost', TARGETS.acceptanceP99Ms),
    },
    {
      figure: `${rate}: accepted → visible in MySQL`,
      measured: percentiles(latency.mysqlVisible),
      ceiling: '',
      ratio: '',
      target: targets.mysql,
      verdict: verdict(latency.mysqlVisible.p99, 'atMost', TARGETS.mysqlVisibleP99Ms),
    },
  ];
  rows.push(
    isUnavailable(latency.sse)
      ? unavailableRow(`${rate}: accepted → received over SSE`, latency.sse, targets.sse)
      : {
          figure: `${rate}: accepted → received over SSE`,
          measured: percentiles(latency.sse),
          ceiling: '',
          ratio: '',
          target: targets.sse,
          verdict: verdict(latency.sse.p99, 'atMost', TARGETS.sseP99Ms),
        },
  );
  return rows;
}

function memoryRows(result: BenchResult): ReportRow[] {
  const memory = result.memory;
  if (memory === undefined) return [];
  const target = `≤ ${formatMB(TARGETS.webRssBytes)}`;
  if (isUnavailable(memory)) return [unavailableRow('web RSS with SSE clients connected', memory, target)];
  const dropped = memory.clientsAtEnd < memory.clients ? `; ${memory.clients - memory.clientsAtEnd} dropped` : '';
  return [
    {
      figure: `web RSS, ${whole.format(memory.clients)} SSE clients, ${memory.bidRate} bids/s`,
      measured: `${formatMB(memory.rssPeakBytes)} (${formatMB(memory.rssBeforeBytes)} before${dropped})`,
      ceiling: '',
      ratio: '',
      target,
      verdict: verdict(memory.rssPeakBytes, 'atMost', TARGETS.webRssBytes),
    },
  ];
}

function perSecond(measured: Measured<Throughput>): number | null {
  return isUnavailable(measured) ? null : measured.perSecond;
}

/** The lower of a sink's two ceilings: consuming alone and writing alone. */
export function lowerCeiling(consume: Measured<Throughput>, store: Measured<Throughput>): number | null {
  const rates = [perSecond(consume), perSecond(store)].filter((rate): rate is number => rate !== null);
  return rates.length === 2 ? Math.min(...rates) : null;
}

function drainRow(sinks: SinksResult, drain: SinkDrainResult): ReportRow {
  const target = `≥ ${formatPercent(TARGETS.drainShareOfCeiling)} of the lower`;
  const figure = `${drain.sink} sink draining ${whole.format(sinks.backlog)} bids`;
  if (isUnavailable(drain.drain)) return unavailableRow(figure, drain.drain, target);
  const lower = lowerCeiling(sinks.consumeCeiling, drain.storeCeiling);
  const share = lower === null ? null : drain.drain.perSecond / lower;
  const describe = (measured: Measured<Throughput>): string =>
    isUnavailable(measured) ? `n/a (${measured.unavailable})` : formatRate(measured.perSecond, 'rows');
  return {
    figure,
    measured: formatRate(drain.drain.perSecond, 'rows'),
    ceiling: `consume-only ${describe(sinks.consumeCeiling)}; store-only ${describe(drain.storeCeiling)}`,
    ratio: share === null ? 'n/a' : formatPercent(share),
    target,
    verdict: verdict(share, 'atLeast', TARGETS.drainShareOfCeiling),
  };
}

function sinkRows(result: BenchResult): ReportRow[] {
  const sinks = result.sinks;
  if (sinks === undefined) return [];
  if (isUnavailable(sinks)) {
    return [unavailableRow('sinks draining a backlog', sinks, `≥ ${formatPercent(TARGETS.drainShareOfCeiling)}`)];
  }
  const rows = sinks.drains.map((drain) => drainRow(sinks, drain));
  for (const idle of sinks.idleCpu) {
    rows.push({
      figure: `${idle.sink} worker idle CPU (${idle.seconds} s)`,
      measured: idle.percentOfCore === null ? 'n/a' : `${idle.percentOfCore.toFixed(2)} % of a core`,
      ceiling: '',
      ratio: '',
      target: `< ${TARGETS.idleCpuPercent} % of a core`,
      verdict: verdict(idle.percentOfCore, 'below', TARGETS.idleCpuPercent),
    });
  }
  return rows;
}

/** Every figure of a run as table rows, in the order the parts ran. */
export function reportRows(result: BenchResult): ReportRow[] {
  return [...ingestRows(result), ...latencyRows(result), ...memoryRows(result), ...sinkRows(result)];
}

/** The rows as an aligned plain-text table (wide: one row a figure, for a terminal or a CI log). */
export function textTable(rows: readonly ReportRow[]): string {
  const header: Record<keyof ReportRow, string> = {
    figure: 'figure',
    measured: 'measured',
    ceiling: 'ceiling (same run)',
    ratio: 'ratio',
    target: 'target',
    verdict: 'verdict',
  };
  const columns = ['figure', 'measured', 'ceiling', 'ratio', 'target', 'verdict'] as const;
  const all: Record<keyof ReportRow, string>[] = [header, ...rows];
  const widths = columns.map((column) => Math.max(...all.map((row) => row[column].length)));
  const line = (row: Record<keyof ReportRow, string>): string =>
    columns
      .map((column, index) => row[column].padEnd(widths[index]!))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  return [line(header), rule, ...rows.map(line)].join('\n');
}
