import type { ServerResponse } from 'node:http';
import type { Message } from 'node-rdkafka';
import type { Bid } from '../../lib/bid/bid';
import { errorMessage } from '../../lib/errorMessage';
import { replayTargetOf } from '../../lib/kafka/replayTarget';
import type { Logger } from '../../lib/logger';
import type { BidCodec } from '../../lib/registry/bidCodec';
import type { AuctionState } from './auctionState';
import { EventHistory } from './eventHistory';
import {
  bidEvent,
  eventFrame,
  highestEvent,
  lotsEvent,
  type EventFrame,
  type PlacedBid,
  type RecordFrames,
} from './liveEvent';
import type { LiveClients } from './liveClients';
import { formatPositionVector, parsePositionVector, type PositionVector } from './positionVector';
import { SpacedCall } from './spacedCall';

/** The `lots` event goes out at most this often while bids flow. */
export const LOTS_INTERVAL_MS = 500;
/**
 * Records go out to the clients together when fanning them out is costly:
 * the wait between two broadcasts is this many times what the last one took
 * (one socket write per client), at most `MAX_BROADCAST_GAP_MS`. With a few
 * clients a broadcast takes microseconds and each record goes out as soon as
 * it is read; with a thousand it takes milliseconds, and records that follow
 * closely go out in one write per client, which bounds the CPU the fan-out
 * takes (see the README, "Live updates", for what was measured).
 */
export const BROADCAST_COST_FACTOR = 4;
/** The longest a record waits for the next broadcast, however costly the fan-out. */
export const MAX_BROADCAST_GAP_MS = 50;
/** The wait before decoding a record again while the registry cannot be reached. */
const REGISTRY_RETRY_MS = 1_000;

const RESET_FRAME = eventFrame({ type: 'reset', data: {} }, undefined, undefined).text;

/** How a stream opens: everything since `Last-Event-ID`, a reset when that is out of reach, or only what comes next. */
export type StreamStart = { lastEventId: string | undefined; item: string | undefined };

/**
 * The live feed of one web instance: turns each bid record the tail reads
 * into its events (`bid`, then `highest` when it changed the lot's or the
 * overall highest bid, and now and then `lots`), keeps them in history under
 * the position vector after the record, and fans them out to the clients.
 * Records that are not bids are skipped (the sinks dead-letter them), and so
 * are dead letters replayed to the topic (`dlq.replay.sink`): their bid was
 * announced when it first arrived.
 */
export class LiveFeed {
  private readonly positions: Map<number, number>;
  private readonly history: EventHistory;
  /** Sends the pending records: at once after a quiet spell, else once the last broadcast is far enough behind. */
  private readonly broadcasts: SpacedCall = new SpacedCall(
    () => this.broadcastPending(),
    (): number => Math.min(MAX_BROADCAST_GAP_MS, BROADCAST_COST_FACTOR * this.broadcasts.lastDurationMs),
  );
  /** Sends `lots` at most every LOTS_INTERVAL_MS (with the then newest id). */
  private readonly lots = new SpacedCall(
    () => this.sendLots(),
    () => LOTS_INTERVAL_MS,
  );
  /** Records read and turned into events, not yet in history nor sent: they go out together. */
  private pending: RecordFrames[] = [];
  private stopping = false;

  constructor(
    private readonly codec: BidCodec,
    private readonly state: AuctionState,
    private readonly clients: LiveClients,
    start: PositionVector,
    historyEvents: number,
    private readonly log: Logger,
  ) {
    this.positions = new Map(start);
    this.history = new EventHistory(historyEvents, start);
  }

  get isFull(): boolean {
    return this.stopping || this.clients.isFull;
  }

  /** Live streams open now. */
  get clientCount(): number {
    return this.clients.count;
  }

  /** A partition the tail started reading after start-up. */
  addPartition(partition: number, startOffset: number): void {
    this.positions.set(partition, startOffset);
    this.history.addPartition(partition, startOffset);
  }

  /**
   * Adds a stream whose headers are sent. With a `Last-Event-ID` it first
   * gets every event after that id from history, or `reset` when history no
   * longer reaches back that far (or the id is not one of ours).
   */
  open(response: ServerResponse, start: StreamStart): void {
    if (start.lastEventId === undefined) {
      this.clients.add(response, { item: start.item, skipBefore: undefined, backlog: [] });
      return;
    }
    const since = parsePositionVector(start.lastEventId);
    const catchup = since === undefined ? { kind: 'reset' as const } : this.history.catchUp(since);
    if (catchup.kind === 'reset') {
      response.write(RESET_FRAME);
      this.clients.add(response, { item: start.item, skipBefore: undefined, backlog: [] });
      return;
    }
    this.clients.add(response, { item: start.item, skipBefore: since, backlog: catchup.records });
  }

  /** Reads one batch from the tail: state, history, then one write per client. */
  async onRecords(records: readonly Message[]): Promise<void> {
    const announced: RecordFrames[] = [];
    for (const record of records) {
      const bid = await this.bidIn(record);
      this.positions.set(record.partition, record.offset + 1);
      if (bid === undefined) continue;
      const placed: PlacedBid = { bid, partition: record.partition, offset: record.offset };
      const changes = this.state.apply(placed);
      const id = formatPositionVector(this.positions);
      const frames: EventFrame[] = [eventFrame(bidEvent(placed), id, bid.item)];
      if (changes.item) frames.push(eventFrame(highestEvent('item', placed), id, bid.item));
      // The overall highest is about the lot it was placed on: a page filtered to that lot hears of it too.
      if (changes.overall) frames.push(eventFrame(highestEvent('overall', placed), id, bid.item));
      announced.push({ partition: record.partition, offset: record.offset, id, frames });
    }
    if (announced.length === 0) return;
    this.pending.push(...announced);
    this.broadcasts.request();
    this.lots.request();
  }

  /** Ends every stream and announces nothing more. */
  stop(): void {
    this.stopping = true;
    this.lots.cancel();
    this.broadcasts.cancel();
    this.clients.closeAll();
  }

  /** The bid a record carries, or undefined for one not to announce. Waits (logged) while the registry is unreachable. */
  private async bidIn(record: Message): Promise<Bid | undefined> {
    const replayFor = replayTargetOf(record.headers);
    if (replayFor !== undefined) {
      this.log.debug(
        { partition: record.partition, offset: record.offset, replayFor },
        'live feed: a replayed dead letter is not announced again',
      );
      return undefined;
    }
    for (;;) {
      try {
        const decoded = await this.codec.decode(record.value);
        if (decoded.ok) return decoded.bid;
        this.log.debug(
          { partition: record.partition, offset: record.offset, reason: decoded.reason },
          'live feed: not a bid; skipped (the sinks dead-letter it)',
        );
        return undefined;
      } catch (error) {
        if (this.stopping) return undefined;
        this.log.warn(
          {
            err: errorMessage(error),
            partition: record.partition,
            offset: record.offset,
            retryInMs: REGISTRY_RETRY_MS,
          },
          'live feed waiting: cannot decode a record until the schema registry answers',
        );
        await new Promise((resolve) => setTimeout(resolve, REGISTRY_RETRY_MS));
      }
    }
  }

  /**
   * History and clients move together, in one synchronous step: a stream
   * opening before it gets these records once, from the broadcast (after
   * what history gave it), never from history as well.
   */
  private broadcastPending(): void {
    if (this.pending.length === 0 || this.stopping) return;
    const records = this.pending;
    this.pending = [];
    for (const entry of records) this.history.append(entry);
    this.clients.broadcast(records, this.positions);
  }

  private sendLots(): void {
    // The lots count every record read: send the records first, so no page sees a count before its bid.
    this.broadcasts.runIfWaiting();
    const newest = this.history.newest();
    if (newest === undefined || this.stopping) return;
    const frame = eventFrame(lotsEvent(this.state.mostActiveLots()), newest.id, undefined);
    // Kept with the newest record, so a client replaying from before it gets the lots too.
    newest.frames.push(frame);
    this.clients.broadcast([{ ...newest, frames: [frame] }], this.positions);
  }
}
