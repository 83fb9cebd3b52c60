import http from 'node:http';

/** One Server-Sent Event as a client dispatches it. `data` is the raw text; `json()` parses it. */
export interface ParsedEvent {
  id: string | undefined;
  event: string;
  data: string;
  json<T = Record<string, unknown>>(): T;
}

/** An open event stream: every event received so far, in order. */
export interface EventStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: ParsedEvent[];
  /** Comment lines received (`: heartbeat`), without the colon. */
  comments: string[];
  /** The `retry:` value the server sent, if any. */
  retry: number | undefined;
  /** Resolves with the first event (received or to come) that `matches`; rejects after `timeoutMs`. */
  waitFor(matches: (event: ParsedEvent, index: number) => boolean, timeoutMs?: number): Promise<ParsedEvent>;
  /** Resolves once the server has ended or cut the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * A small text/event-stream client over http.get, for tests and benchmarks:
 * parses `id:`, `event:`, `data:` and comment lines as the EventSource spec
 * does (an event is dispatched at a blank line; `id` carries over). Resolves
 * once the response headers are in, whatever the status.
 */
export function openEventStream(url: string, options: { lastEventId?: string } = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const request = http.get(url, { headers }, (response) => {
      const events: ParsedEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let lastId: string | undefined;
      let type = '';
      let data: string[] = [];
      let partial = '';
      let endedResolve: () => void = () => {};
      const ended = new Promise<void>((done) => (endedResolve = done));
      const stream: EventStream = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        comments,
        retry: undefined,
        ended,
        waitFor(matches, timeoutMs = 10_000) {
          return new Promise<ParsedEvent>((found, fail) => {
            const check = (): boolean => {
              const index = events.findIndex((event, i) => matches(event, i));
              if (index < 0) return false;
              clearTimeout(timer);
              waiters.delete(onEvent);
              found(events[index]!);
              return true;
            };
            const onEvent = (): void => void check();
            const timer = setTimeout(() => {
              waiters.delete(onEvent);
              const last = events.slice(-3).map((e) => `${e.event} ${e.data}`);
              fail(
                new Error(
                  `no matching event within ${timeoutMs} ms (${events.length} received; last: ${last.join(' | ')})`,
                ),
              );
            }, timeoutMs);
            if (!check()) waiters.add(onEvent);
          });
        },
        close() {
          request.destroy();
        },
      };
      const dispatch = (): void => {
        if (data.length > 0) {
          const text = data.join('\n');
          events.push({
            id: lastId,
            event: type === '' ? 'message' : type,
            data: text,
            json: <T>() => JSON.parse(text) as T,
          });
          for (const waiter of [...waiters]) waiter();
        }
        type = '';
        data = [];
      };
      const line = (text: string): void => {
        if (text === '') return dispatch();
        if (text.startsWith(':')) {
          comments.push(text.slice(1).trim());
          return;
        }
        const colon = text.indexOf(':');
        const field = colon < 0 ? text : text.slice(0, colon);
        const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') lastId = value;
        else if (field === 'event') type = value;
        else if (field === 'data') data.push(value);
        else if (field === 'retry' && /^\d+$/.test(value)) stream.retry = Number(value);
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        partial += chunk;
        const lines = partial.split(/\r\n|\r|\n/);
        partial = lines.pop() ?? '';
        for (const text of lines) line(text);
      });
      response.on('end', endedResolve);
      response.on('close', endedResolve);
      response.on('error', endedResolve);
      resolve(stream);
    });
    request.on('error', reject);
  });
}
