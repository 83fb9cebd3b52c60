import { randomUUID } from 'node:crypto';
import type { Bid } from '../../lib/bid/bid';
import { loadEnv } from '../../lib/env';
import { DeliveringProducer, type OutgoingRecord } from '../../lib/kafka/deliveringProducer';
import { readKafkaSettings } from '../../lib/kafka/settings';
import { createLogger } from '../../lib/logger';
import { BidCodec } from '../../lib/registry/bidCodec';
import { readRegistrySettings } from '../../lib/registry/settings';

const ITEMS = ['Carriage clock', 'Oak dresser', 'Silver teapot', 'Oil painting', 'Tin soldier', 'Brass telescope'];
const NAMES = ['Grace', 'Ada', 'Linus', 'Émilie', 'Søren', '李雷', "O'Brien", 'Zoë "Z" Smith'];

/** A valid bid with a fresh id; `index` varies the fields so rows differ. */
export function sampleBid(index: number, overrides: Partial<Bid> = {}): Bid {
  return {
    bid_id: randomUUID(),
    item: ITEMS[index % ITEMS.length]!,
    name: NAMES[index % NAMES.length]!,
    price: 1 + ((index * 7919) % 1_000_000),
    bid_ts: new Date(Date.UTC(2025, 0, 1) + index * 1234).toISOString(),
    ...overrides,
  };
}

/** A producer and the real codec, for writing bids (and raw records) to a test topic. */
export class BidStream {
  private constructor(
    readonly codec: BidCodec,
    private readonly producer: DeliveringProducer,
  ) {}

  static async open(): Promise<BidStream> {
    const env = loadEnv();
    const codec = BidCodec.fromSettings(readRegistrySettings(env));
    await codec.register();
    const producer = new DeliveringProducer(
      readKafkaSettings(env),
      'test-bids',
      { lingerMs: 5, messageTimeoutMs: 30_000 },
      createLogger('test', 'warn'),
    );
    await producer.connect();
    return new BidStream(codec, producer);
  }

  /** Produces the bids (keyed by item, as the web app does) and waits for every acknowledgement. */
  async sendBids(topic: string, bids: readonly Bid[]): Promise<void> {
    const chunk = 5_000;
    for (let start = 0; start < bids.length; start += chunk) {
      await Promise.all(
        bids
          .slice(start, start + chunk)
          .map((bid) => this.producer.send({ topic, key: bid.item, value: this.codec.encode(bid) })),
      );
    }
  }

  /** Produces one record as given, bytes and all. */
  async sendRaw(record: OutgoingRecord): Promise<void> {
    await this.producer.send(record);
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}

/** Produces `bids` in `rounds` roughly equal parts with `pauseMs` between them: a stream, not one burst. */
export async function streamBids(
  stream: BidStream,
  topic: string,
  bids: readonly Bid[],
  rounds: number,
  pauseMs: number,
): Promise<void> {
  const size = Math.ceil(bids.length / rounds);
  for (let start = 0; start < bids.length; start += size) {
    await stream.sendBids(topic, bids.slice(start, start + size));
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
