import type { ServerResponse } from 'node:http';
import type { Logger } from '../../lib/logger';
import type { RecordFrames } from './liveEvent';
import type { PositionVector } from './positionVector';
import type { SseMetrics } from './sseMetrics';

/** A client whose socket holds more than this unsent is dropped, whatever the event count. */
export const MAX_CLIENT_BUFFER_BYTES = 1024 * 1024;

/**
 * What to write to a client, encoded once (every client of a filter is
 * handed the same buffer, so a broadcast costs no per-client encoding or
 * copy), its size in bytes and how many events it holds.
 */
interface Chunk {
  data: Buffer;
  bytes: number;
  events: number;
}

const HEARTBEAT = Buffer.from(': heartbeat\n\n', 'utf8');
const HEARTBEAT_CHUNK: Chunk = { data: HEARTBEAT, bytes: HEARTBEAT.length, events: 1 };

export interface LiveClientLimits {
  /** Clients one instance serves at once (SSE_MAX_CLIENTS). */
  maxClients: number;
  /** How often an idle stream gets a comment line (SSE_HEARTBEAT_MS), so proxies and browsers keep it open. */
  heartbeatMs: number;
  /** Events a client may have waiting for its socket before it is dropped (SSE_CLIENT_BUFFER_EVENTS). */
  bufferEvents: number;
}

/** One connected stream. */
interface LiveClient {
  response: ServerResponse;
  /** Only events about this lot (plus `lots`); undefined for every event. */
  item: string | undefined;
  /** While set, records before these positions were already sent (in a replay) or seen elsewhere: skip them. */
  skipBefore: PositionVector | undefined;
  /** Recent writes, oldest first, that Node may still hold (not yet taken by the kernel). */
  unsent: { bytes: number; events: number }[];
  unsentBytes: number;
  unsentEvents: number;
}

/**
 * The connected live-event clients of this instance: the cap, one heartbeat
 * timer for all, and the fan-out. Each event is serialised once; every
 * client gets one write per batch of records. A client whose socket stops
 * taking data is disconnected once its buffer passes the limit (it
 * reconnects with Last-Event-ID and catches up from history), so a slow
 * reader never holds back the others or grows this process's memory.
 */
export class LiveClients {
  private readonly clients = new Set<LiveClient>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly limits: LiveClientLimits,
    private readonly metrics: SseMetrics,
    private readonly log: Logger,
  ) {
    this.heartbeat = setInterval(() => this.beat(), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get count(): number {
    return this.clients.size;
  }

  get isFull(): boolean {
    return this.clients.size >= this.limits.maxClients;
  }

  /**
   * Adds a stream whose headers are already sent, and sends it `backlog` (a
   * replay from history) first. From then on it gets every broadcast that
   * passes its filter.
   */
  add(
    response: ServerResponse,
    options: { item: string | undefined; skipBefore: PositionVector | undefined; backlog: readonly RecordFrames[] },
  ): void {
    const client: LiveClient = {
      response,
      item: options.item,
      skipBefore: options.skipBefore,
      unsent: [],
      unsentBytes: 0,
      unsentEvents: 0,
    };
    this.clients.add(client);
    this.metrics.clients.set(this.clients.size);
    response.on('drain', () => {
      client.unsent = [];
      client.unsentBytes = 0;
      client.unsentEvents = 0;
    });
    response.once('close', () => {
      this.clients.delete(client);
      this.metrics.clients.set(this.clients.size);
    });
    if (options.backlog.length > 0) {
      this.write(client, framesFor(options.backlog, client.item, client.skipBefore));
    }
  }

  /** Sends a write out to every client that wants some of it; `positions` is where the feed stands after these records. */
  broadcast(records: readonly RecordFrames[], positions: PositionVector): void {
    if (records.length === 0 || this.clients.size === 0) return;
    // Clients with the same filter get the same bytes: build them once per filter.
    const shared = new Map<string | undefined, Chunk>();
    for (const client of this.clients) {
      if (client.skipBefore !== undefined) {
        const chunk = framesFor(records, client.item, client.skipBefore);
        if (hasPassed(positions, client.skipBefore)) client.skipBefore = undefined;
        this.write(client, chunk);
        continue;
      }
      let chunk = shared.get(client.item);
      if (chunk === undefined) {
        chunk = framesFor(records, client.item, undefined);
        shared.set(client.item, chunk);
      }
      this.write(client, chunk);
    }
  }

  /** Ends every stream (shutdown): the browsers reconnect, to another instance or to this one once it is back. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.response.end();
    this.clients.clear();
    this.metrics.clients.set(0);
  }

  private beat(): void {
    for (const client of this.clients) this.write(client, HEARTBEAT_CHUNK);
  }

  private write(client: LiveClient, chunk: Chunk): void {
    if (chunk.events === 0 || client.response.destroyed) return;
    // Judged before this write, on what Node still holds because the kernel's socket buffer is full:
    // a client that keeps up has (almost) nothing there, whatever the size of one burst.
    if (
      unsentEvents(client, client.response.writableLength) > this.limits.bufferEvents ||
      client.response.writableLength > MAX_CLIENT_BUFFER_BYTES
    ) {
      this.drop(client);
      return;
    }
    client.response.write(chunk.data);
    client.unsent.push({ bytes: chunk.bytes, events: chunk.events });
    client.unsentBytes += chunk.bytes;
    client.unsentEvents += chunk.events;
  }

  private drop(client: LiveClient): void {
    this.clients.delete(client);
    this.metrics.clients.set(this.clients.size);
    this.metrics.droppedClients.inc();
    this.log.info(
      {
        eventsWaiting: client.unsentEvents,
        bytesWaiting: client.response.writableLength,
        limitEvents: this.limits.bufferEvents,
        item: client.item,
      },
      'live client dropped: it reads too slowly; it reconnects with Last-Event-ID and catches up from history',
    );
    client.response.destroy();
  }
}

/**
 * How many events Node still holds for the client: its recent writes, less
 * those (oldest first) wholly handed to the kernel, given the bytes still held.
 */
function unsentEvents(client: LiveClient, bytesHeld: number): number {
  while (client.unsent.length > 0 && client.unsentBytes - client.unsent[0]!.bytes >= bytesHeld) {
    const sent = client.unsent.shift()!;
    client.unsentBytes -= sent.bytes;
    client.unsentEvents -= sent.events;
  }
  return bytesHeld === 0 ? 0 : client.unsentEvents;
}

/** The frames a client wants out of `records`, as one chunk. */
function framesFor(
  records: readonly RecordFrames[],
  item: string | undefined,
  skipBefore: PositionVector | undefined,
): Chunk {
  let text = '';
  let events = 0;
  for (const record of records) {
    if (skipBefore !== undefined && record.offset < (skipBefore.get(record.partition) ?? 0)) continue;
    for (const frame of record.frames) {
      if (item !== undefined && frame.item !== undefined && frame.item !== item) continue;
      text += frame.text;
      events += 1;
    }
  }
  const data = Buffer.from(text, 'utf8');
  return { data, bytes: data.length, events };
}

/** Whether the feed has read past every position in `skipBefore`, so no later record can be one to skip. */
function hasPassed(positions: PositionVector, skipBefore: PositionVector): boolean {
  for (const [partition, offset] of skipBefore) {
    if ((positions.get(partition) ?? 0) < offset) return false;
  }
  return true;
}
