import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../appContext';
import { lotQuery } from '../lotQuery';

/** The stream's headers: event-stream, nothing cached or transformed on the way, no proxy buffering (nginx reads X-Accel-Buffering). */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/** How long a browser waits before reconnecting a dropped stream. */
export const RETRY_MS = 2000;

/**
 * Whether this instance already serves SSE_MAX_CLIENTS streams, live bid
 * streams and dashboard streams together (or is stopping): one more is
 * answered 503, so the streams never take every connection HTTP_MAX_CONNECTIONS allows.
 */
export function streamsFull(context: AppContext): boolean {
  return (
    context.live.isFull || context.live.clientCount + context.dashboard.feed.count >= context.settings.sseMaxClients
  );
}

/** The 503 for a stream refused at SSE_MAX_CLIENTS. */
export function refuseStream(context: AppContext, res: Response): void {
  res
    .status(503)
    .set('Retry-After', '10')
    .json({
      error: 'too many live clients',
      detail: `this instance serves at most ${context.settings.sseMaxClients} live streams (SSE_MAX_CLIENTS); try again later`,
    });
}

/** Sends an event stream's headers and first line, on a socket set for events going out as they happen. */
export function startEventStream(req: Request, res: Response): void {
  // Events go out as they happen: no Nagle delay, and the connection outlives any idle timeout.
  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true);
  req.socket.setTimeout(0);
  res.writeHead(200, EVENT_STREAM_HEADERS);
  res.write(`retry: ${RETRY_MS}\n\n`);
}

/** `?item=`: one lot, normalised as bids name it; absent means every lot. */
function itemFilter(req: Request): { ok: true; item: string | undefined } | { ok: false; error: string } {
  const item = req.query.item;
  if (item === undefined) return { ok: true, item: undefined };
  return lotQuery(item);
}

/**
 * `GET /api/events`: the live event stream (Server-Sent Events) of accepted
 * bids and highest-bid changes, for every lot or one (`?item=`). A
 * reconnecting browser sends `Last-Event-ID` and gets what it missed.
 */
export function eventRoutes(context: AppContext): Router {
  const router = Router();
  router.get('/events', (req: Request, res: Response) => {
    const filter = itemFilter(req);
    if (!filter.ok) {
      res.status(400).json({ error: filter.error });
      return;
    }
    if (streamsFull(context)) {
      refuseStream(context, res);
      return;
    }
    startEventStream(req, res);
    context.live.open(res, { item: filter.item, lastEventId: req.get('last-event-id') });
  });
  return router;
}
