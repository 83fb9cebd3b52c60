import type { MemoryResult, Measured } from './benchResult';
import { isRefusal, LiveEventsClient } from './liveEventsClient';
import { sendBidsAtFixedRate } from './openLoopSender';
import { residentBytes } from './processUsage';
import type { Progress } from '../lib/traffic/progress';

/** Connections opened at once: well inside the listen backlog, so none is refused for arriving in a crowd. */
const CONNECT_AT_ONCE = 100;

/**
 * The web app's resident memory with `clients` SSE clients connected while
 * bids flow at `bidRate` a second: its RSS is sampled every 250 ms from
 * /proc while the clients read, and the most seen is the figure.
 */
export async function measureSseMemory(
  baseUrl: string,
  webPid: number,
  options: { clients: number; bidRate: number; seconds: number },
  progress: Progress,
): Promise<Measured<MemoryResult>> {
  const rssBeforeBytes = residentBytes(webPid) ?? null;
  const clients: LiveEventsClient[] = [];
  try {
    while (clients.length < options.clients) {
      const wave = Math.min(CONNECT_AT_ONCE, options.clients - clients.length);
      const connected = await Promise.all(Array.from({ length: wave }, () => LiveEventsClient.connect(baseUrl)));
      for (const client of connected) {
        if (isRefusal(client)) {
          for (const other of connected) if (!isRefusal(other)) other.close();
          return {
            unavailable: clients.length === 0 ? client.refused : `${client.refused} after ${clients.length} clients`,
          };
        }
        clients.push(client);
      }
      progress.update(`memory: ${clients.length} of ${options.clients} SSE clients connected`);
    }
    let rssPeakBytes = residentBytes(webPid) ?? null;
    const sampler = setInterval(() => {
      const rss = residentBytes(webPid);
      if (rss !== undefined && (rssPeakBytes === null || rss > rssPeakBytes)) rssPeakBytes = rss;
      progress.update(
        `memory: ${clients.filter((client) => client.isOpen).length} SSE clients, ${options.bidRate} bids/s, ` +
          `web RSS ${rss === undefined ? 'n/a' : `${(rss / 1e6).toFixed(0)} MB`}`,
      );
    }, 250);
    let failed = 0;
    try {
      await sendBidsAtFixedRate(baseUrl, { rate: options.bidRate, seconds: options.seconds }, (answer) => {
        if (answer.status !== 201) failed++;
      });
      // Let the last events reach the clients before they are counted.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      clearInterval(sampler);
    }
    if (failed > 0) progress.note(`memory: ${failed} bids posted while measuring were not accepted`);
    return {
      clients: options.clients,
      bidRate: options.bidRate,
      seconds: options.seconds,
      rssBeforeBytes,
      rssPeakBytes,
      clientsAtEnd: clients.filter((client) => client.isOpen).length,
      bytesPerClient: Math.round(clients.reduce((sum, client) => sum + client.received, 0) / clients.length),
    };
  } finally {
    for (const client of clients) client.close();
  }
}
