import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { EventStreamParser, type ServerSentEvent } from './eventStream';

/** Why the live events could not be read: the web app has no `/api/events` (404) or refused the client. */
export interface LiveEventsRefusal {
  refused: string;
}

/**
 * One client of the web app's Server-Sent Events (`GET /api/events`, see
 * the live events contract), on a connection of its own as a browser tab
 * has. With `onEvent` it reads the events as a page would and passes each
 * on with the `performance.now()` it arrived at; without, it only counts
 * the bytes (a thousand such clients cost the benchmark little, so the
 * web app's side is what gets measured).
 */
export class LiveEventsClient {
  private bytes = 0;
  private open = true;

  private constructor(private readonly request: http.ClientRequest) {}

  static connect(
    baseUrl: string,
    onEvent?: (event: ServerSentEvent, receivedAt: number) => void,
    timeoutMs = 10_000,
  ): Promise<LiveEventsClient | LiveEventsRefusal> {
    return new Promise((resolve, reject) => {
      let client: LiveEventsClient | undefined;
      const request = http.get(new URL('/api/events', baseUrl), {
        agent: false,
        headers: { accept: 'text/event-stream' },
      });
      const timer = setTimeout(
        () => request.destroy(new Error(`GET /api/events did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      request.on('error', (error) => {
        clearTimeout(timer);
        if (client) client.open = false;
        else reject(error);
      });
      request.on('response', (response) => {
        clearTimeout(timer);
        if (response.statusCode !== 200) {
          response.resume();
          request.destroy();
          resolve({
            refused: response.statusCode === 404 ? 'no /api/events' : `GET /api/events answered ${response.statusCode}`,
          });
          return;
        }
        client = new LiveEventsClient(request);
        const parser = onEvent ? new EventStreamParser() : undefined;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          client!.bytes += chunk.length;
          if (!parser) return;
          const receivedAt = performance.now();
          for (const event of parser.push(chunk)) onEvent!(event, receivedAt);
        });
        response.on('close', () => (client!.open = false));
        resolve(client);
      });
    });
  }

  /** Whether the server still holds the stream open (a client it dropped is not). */
  get isOpen(): boolean {
    return this.open;
  }

  /** Characters received so far. */
  get received(): number {
    return this.bytes;
  }

  close(): void {
    this.open = false;
    this.request.destroy();
  }
}

export function isRefusal(value: LiveEventsClient | LiveEventsRefusal): value is LiveEventsRefusal {
  return 'refused' in value;
}
