import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Bid } from '../../lib/bid/bid';
import type { AppContext } from '../appContext';
import type { BidOutcome } from '../bidIntake';
import { BODY_LIMIT } from '../bodyLimit';
import { errorMessage } from '../../lib/errorMessage';

/** A bid as the API returns it: the bid itself and where Kafka put it. */
function placedBody(outcome: Extract<BidOutcome, { kind: 'accepted' }>): Bid & { kafka: object } {
  const { bid, delivery } = outcome;
  return { ...bid, kafka: { topic: delivery.topic, partition: delivery.partition, offset: delivery.offset } };
}

async function answerWithHighest(
  res: Response,
  read: () => Promise<Bid | undefined>,
  notFound: string,
  context: AppContext,
): Promise<void> {
  let bid: Bid | undefined;
  try {
    bid = await read();
  } catch (error) {
    context.log.warn({ err: errorMessage(error) }, 'highest bid unavailable');
    res.status(503).set('Retry-After', '5').json({ error: 'The highest bid is unavailable: MySQL cannot be reached.' });
    return;
  }
  if (bid) res.json(bid);
  else res.status(404).json({ error: notFound });
}

/** The JSON API under /api: place a bid, read the highest bids. */
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
          res.status(422).json({
            error: `The bid was refused: ${outcome.errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`,
            errors: outcome.errors,
          });
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

  router.get('/highest', (_req, res) =>
    answerWithHighest(res, () => context.highest.overall(), 'No bids have been placed yet.', context),
  );

  router.get('/items/:item/highest', (req, res) => {
    const { item } = req.params;
    return answerWithHighest(res, () => context.highest.forItem(item), `No bids on item "${item}" yet.`, context);
  });

  router.use((_req, res) => {
    res.status(404).json({ error: 'No such API route; see /openapi.json.' });
  });
  return router;
}
