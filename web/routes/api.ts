import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Bid } from '../../lib/bid/bid';
import type { HighestBid } from '../highestBid';
import type { AppContext } from '../appContext';
import type { BidOutcome } from '../bidIntake';
import { bidRefusal } from '../bidRefusal';
import { BODY_LIMIT } from '../bodyLimit';
import { lotQuery } from '../lotQuery';
import { retryAfterSeconds, unavailableCause, type ReadUnavailable } from '../readUnavailable';

/** A bid as the API returns it: the bid itself and where Kafka put it. */
function placedBody(outcome: Extract<BidOutcome, { kind: 'accepted' }>): Bid & { kafka: object } {
  const { bid, delivery } = outcome;
  return { ...bid, kafka: { topic: delivery.topic, partition: delivery.partition, offset: delivery.offset } };
}

function answerWithHighest(res: Response, highest: HighestBid, notFound: string): void {
  switch (highest.state) {
    case 'bid':
      res.json(highest.bid);
      return;
    case 'none':
      res.status(404).json({ error: notFound });
      return;
    case 'unavailable':
      answerUnavailable(res, 'The highest bid', highest);
      return;
  }
}

/** 503 saying which figure and why (`reason`: unreachable, busy, timeout), with when to try again. */
export function answerUnavailable(res: Response, figure: string, { reason }: ReadUnavailable): void {
  res
    .status(503)
    .set('Retry-After', String(retryAfterSeconds(reason)))
    .json({ error: `${figure} is unavailable: ${unavailableCause(reason)}.`, reason });
}

/** The JSON API under /api: place a bid, read the highest bids, an item's last bids and the most active lots. */
export function apiRoutes(context: AppContext, rateLimit: RequestHandler): Router {
  const router = Router();
  const { intake } = context;

  router.post(
    '/bids',
    rateLimit,
    express.json({ limit: BODY_LIMIT, strict: false }),
    async (req: Request, res: Response) => {
      if (!req.is('application/json')) {
        res.status(415).json({ error: 'Send the bid as JSON with Content-Type: application/json.' });
        return;
      }
      const outcome = await intake.place(req.body);
      switch (outcome.kind) {
        case 'accepted':
          res.status(201).json(placedBody(outcome));
          return;
        case 'invalid':
          res.status(422).json(bidRefusal(outcome.errors));
          return;
        case 'unavailable':
          res
            .status(503)
            .set('Retry-After', outcome.reason === 'busy' ? '1' : '5')
            .json({ error: outcome.message, reason: outcome.reason });
          return;
      }
    },
  );

  router.get('/highest', async (_req, res) => {
    answerWithHighest(res, await context.highest.overall(), 'No bids have been placed yet.');
  });

  router.get('/items/:item/highest', async (req, res) => {
    const lot = lotQuery(req.params.item);
    if (!lot.ok) {
      res.status(400).json({ error: lot.error });
      return;
    }
    const { item } = lot;
    answerWithHighest(res, await context.highest.forItem(item), `No bids on item "${item}" yet.`);
  });

  // What the live page reloads its figures from when its event stream says `reset`.
  router.get('/items/:item/bids', async (req, res) => {
    const lot = lotQuery(req.params.item);
    if (!lot.ok) {
      res.status(400).json({ error: lot.error });
      return;
    }
    const { item } = lot;
    const recent = await context.recentBids.forItem(item);
    if (recent.state === 'unavailable') {
      answerUnavailable(res, 'The list of recent bids', recent);
      return;
    }
    res.json({ item, bids: recent.bids });
  });

  router.get('/lots', async (_req, res) => {
    const active = await context.activeLots.mostActive();
    if (active.state === 'unavailable') {
      answerUnavailable(res, 'The list of most active lots', active);
      return;
    }
    res.json({ lots: active.lots });
  });

  router.use((_req, res) => {
    res.status(404).json({ error: 'No such API route; see /openapi.json.' });
  });
  return router;
}
