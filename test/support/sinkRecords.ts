import type { SinkRecord } from '../../workers/runtime/sink';
import { sampleBid } from './bidStream';

/** `count` sample bids as a sink receives them from `auction`, at offsets `from`… of one partition. */
export function sampleRecords(from: number, count: number, partition = 0, name?: string): SinkRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    bid: sampleBid(from + i, name === undefined ? {} : { name }),
    extra: {},
    schemaId: 1,
    topic: 'auction',
    partition,
    offset: from + i,
  }));
}
