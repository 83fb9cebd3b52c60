import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openEventStream } from '../support/eventStream';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { scrapeMetrics, valueOf } from '../support/prometheusText';
import { waitFor } from '../support/service';
import { postBidJson, startWebApp, type WebAppUnderTest } from '../support/webApp';

/** A TCP connection to the web app, speaking HTTP by hand: what it received, and whether the server closed it. */
class RawClient {
  readonly socket: net.Socket;
  received = '';
  closedAt: number | undefined;
  readonly closed: Promise<void>;
  readonly openedAt = Date.now();

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => (this.received += chunk));
    this.socket.on('error', () => undefined); // a refused or reset connection shows as closed
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        this.closedAt = Date.now();
        resolve();
      }),
    );
  }

  get isClosed(): boolean {
    return this.closedAt !== undefined;
  }

  /** Writes `text` now and again every `everyMs`, one piece at a time, while the connection is open. */
  trickle(pieces: string[], everyMs: number): void {
    const next = (): void => {
      const piece = pieces.shift();
      if (piece === undefined || this.socket.destroyed) return;
      this.socket.write(piece);
      setTimeout(next, everyMs).unref();
    };
    next();
  }

  /** Sends one complete keep-alive request; resolves true once its answer is in, false if the server closed first. */
  async request(path: string): Promise<boolean> {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    return waitFor(
      `an answer or a close for GET ${path}`,
      () => (this.received.includes('\r\n\r\n') ? true : this.isClosed ? false : undefined),
      10_000,
      10,
    );
  }

  close(): void {
    this.socket.destroy();
  }
}

describe(
  'the HTTP server limits slow clients and connections, and live streams still work',
  { timeout: 240_000 },
  () => {
    const HEADERS_TIMEOUT_MS = 1000;
    const REQUEST_TIMEOUT_MS = 2000;
    const MAX_CONNECTIONS = 8;
    let topic: string;
    let web: WebAppUnderTest;
    let port: number;

    before(async () => {
      topic = await createTestTopic('server-limits', 1);
      web = await startWebApp({
        KAFKA_TOPIC: topic,
        // MySQL is not part of this test (a closed port: only the figures are unavailable).
        MYSQL_URL: 'mysql://root@127.0.0.1:1/test',
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        // Long, so that the connections held for the cap stay open while the test counts them.
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '60000',
        HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
        SSE_MAX_CLIENTS: '2',
        SSE_HEARTBEAT_MS: '200',
      });
      port = Number(new URL(web.baseUrl).port);
    });
    after(async () => {
      await web?.stop();
      await deleteTestTopic(topic);
    });

    it('answers 408 and disconnects a client that sends its body a byte at a time, after HTTP_REQUEST_TIMEOUT_MS', async () => {
      const client = new RawClient(port);
      client.socket.write(
        'POST /api/bids HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n',
      );
      client.trickle(Array(200).fill(' '), 250);
      await waitFor('the slow client to be cut off', () => (client.isClosed ? true : undefined), 20_000, 50);
      assert.match(client.received, /^HTTP\/1\.1 408 /);
      const after = client.closedAt! - client.openedAt;
      assert.ok(after >= REQUEST_TIMEOUT_MS - 100, `cut off after ${after} ms, not before the request timeout`);
    });

    it('answers 408 and disconnects a client that sends its headers a line at a time, after HTTP_HEADERS_TIMEOUT_MS', async () => {
      const client = new RawClient(port);
      client.trickle(
        ['GET /healthz HTTP/1.1\r\n', ...Array.from({ length: 200 }, (_, i) => `X-Slow-${i}: yes\r\n`)],
        100,
      );
      await waitFor('the slow client to be cut off', () => (client.isClosed ? true : undefined), 20_000, 50);
      assert.match(client.received, /^HTTP\/1\.1 408 /);
      const after = client.closedAt! - client.openedAt;
      assert.ok(after >= HEADERS_TIMEOUT_MS - 100, `cut off after ${after} ms, not before the headers timeout`);
    });

    it('keeps a live stream open well past HTTP_REQUEST_TIMEOUT_MS, and it still delivers the next bid', async () => {
      const stream = await openEventStream(`${web.baseUrl}/api/events`);
      try {
        assert.equal(stream.status, 200);
        const openedAt = Date.now();
        // Heartbeats keep arriving for three request timeouts (the server checks its timeouts every second at most).
        await waitFor(
          'the stream to outlive three request timeouts',
          () => (Date.now() - openedAt > 3 * REQUEST_TIMEOUT_MS && stream.comments.length > 3 ? true : undefined),
          30_000,
          100,
        );
        const placed = await postBidJson(web.baseUrl, JSON.stringify({ item: 'Pocket watch', name: 'Ada', price: 40 }));
        assert.equal(placed.status, 201, JSON.stringify(placed.body));
        await stream.waitFor(
          (event) =>
            event.event === 'bid' && event.json<{ bid: { bid_id: string } }>().bid.bid_id === placed.body.bid_id,
        );
      } finally {
        stream.close();
      }
    });

    it('closes connections past HTTP_MAX_CONNECTIONS as they arrive, and serves again once one is freed', async () => {
      const held: RawClient[] = [];
      try {
        let refused: RawClient | undefined;
        // Connections the test's own fetches keep alive count too, so fill up until one is refused.
        for (let attempt = 0; attempt < MAX_CONNECTIONS + 10 && refused === undefined; attempt++) {
          const client = new RawClient(port);
          if (await client.request('/healthz')) held.push(client);
          else refused = client;
        }
        assert.ok(refused, `a connection was refused (${held.length} were served and held)`);
        assert.equal(refused.received, '', 'closed without an answer');
        assert.ok(held.length <= MAX_CONNECTIONS, `${held.length} connections held`);

        held.pop()!.close();
        const served = await waitFor(
          'a new connection to be served once one is freed',
          async () => {
            const client = new RawClient(port);
            if (await client.request('/healthz')) return client;
            return undefined;
          },
          10_000,
          50,
        );
        held.push(served);
      } finally {
        for (const client of held) client.close();
      }
      const samples = await waitFor('/metrics to answer once the held connections are gone', () =>
        scrapeMetrics(web.baseUrl),
      );
      assert.ok((valueOf(samples, 'web_http_connections_dropped_total') ?? 0) >= 1, 'the refusal is counted');
    });
  },
);
