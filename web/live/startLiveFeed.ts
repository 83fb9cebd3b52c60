import type mysql from 'mysql2/promise';
import { errorMessage } from '../../lib/errorMessage';
import type { KafkaSettings } from '../../lib/kafka/settings';
import type { Logger } from '../../lib/logger';
import type { BidCodec } from '../../lib/registry/bidCodec';
import type { WebSettings } from '../settings';
import { readAuctionSeed } from './auctionSeed';
import { AuctionState, type SeededLot } from './auctionState';
import { AuctionTail } from './auctionTail';
import { LiveClients } from './liveClients';
import { LiveFeed } from './liveFeed';
import type { SseMetrics } from './sseMetrics';

/** A running live feed and how to stop it: streams first, then the consumer. */
export interface RunningLiveFeed {
  feed: LiveFeed;
  stop(): Promise<void>;
}

/**
 * Starts this instance's live feed: seeds the auction from MySQL, then
 * assigns every partition of the bid topic at its high watermark and starts
 * reading, so records from now on move the seeded figures. Bids the MySQL
 * worker had not yet written when the seed was read are not in the seeded
 * counts and last bids (a page load reads MySQL again). With MySQL
 * unreachable the feed starts from an empty auction and says so.
 */
export async function startLiveFeed(
  kafka: KafkaSettings,
  settings: WebSettings,
  codec: BidCodec,
  pool: mysql.Pool,
  metrics: SseMetrics,
  log: Logger,
): Promise<RunningLiveFeed> {
  const tail = new AuctionTail(kafka, log);
  await tail.connect();
  let seed: SeededLot[] = [];
  try {
    seed = await readAuctionSeed(pool);
  } catch (error) {
    log.warn(
      { err: errorMessage(error) },
      'live feed: cannot read the auction from MySQL; live figures start from no bids until this process restarts',
    );
  }
  const start = await tail.assignAtHighWatermarks();
  log.info({ lots: seed.length }, 'live feed seeded from MySQL');
  const clients = new LiveClients(
    {
      maxClients: settings.sseMaxClients,
      heartbeatMs: settings.sseHeartbeatMs,
      bufferEvents: settings.sseClientBufferEvents,
    },
    metrics,
    log,
  );
  const feed = new LiveFeed(codec, new AuctionState(seed), clients, start, settings.sseHistoryEvents, log);
  tail.run(
    (records) => feed.onRecords(records),
    (partition, startOffset) => feed.addPartition(partition, startOffset),
  );
  return {
    feed,
    async stop() {
      const streamsEnded = clients.count;
      feed.stop();
      await tail.stop();
      log.info({ streamsEnded }, 'live feed stopped: streams ended (browsers reconnect), consumer disconnected');
    },
  };
}
