/**
 * The ingest ceiling: Express 5 with `express.json()` and the bid schema's
 * ajv validator (the same compiled `schemas/bid.schema.json` the web app
 * uses), answering `POST /api/bids` with 201 and the bid, and nothing else:
 * no Kafka, no registry, no rate limit, no security headers. What the web
 * app does beyond this is what its ingest figure is compared against.
 * Started by the benchmark as a child process: `PORT=… node dist/bench/bareBidEndpoint.js`.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { validateBid } from '../lib/bid/validateBid';
import { integerSetting, loadEnv } from '../lib/env';
import { createLogger } from '../lib/logger';

const log = createLogger('bench-bare-endpoint');
const port = integerSetting(loadEnv(), 'PORT', 0, { min: 0, max: 65_535 });
const app = express();
app.disable('x-powered-by');
app.post('/api/bids', express.json({ limit: '16kb' }), (req, res) => {
  const body = req.body as Record<string, unknown>;
  const checked = validateBid({ ...body, bid_id: randomUUID(), bid_ts: new Date().toISOString() });
  if (checked.valid) res.status(201).json(checked.bid);
  else res.status(422).json({ errors: checked.errors });
});

const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  log.info({ port: typeof address === 'object' && address ? address.port : port }, 'bare bid endpoint listening');
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
