import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { fromRoot } from '../lib/paths';
import type { AppContext } from './appContext';
import { BODY_LIMIT } from './bodyLimit';
import { openApiDocument } from './openapi';
import { apiRoutes } from './routes/api';
import { dashboardRoutes } from './routes/dashboard';
import { eventRoutes } from './routes/events';
import { pageRoutes } from './routes/page';
import { measureRequests } from './requestMetrics';

/** What body-parser attaches to the errors it raises. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

function isApi(req: Request): boolean {
  return req.path.startsWith('/api/');
}

/** Answers an error without a stack trace or internal detail: JSON for the API, a short page for people. */
function sendError(req: Request, res: Response, status: number, message: string): void {
  if (isApi(req)) res.status(status).json({ error: message });
  else res.status(status).type('text/plain').send(message);
}

/**
 * The Express app: the bid page, the JSON API, health and readiness, the
 * OpenAPI document, and Bootstrap from node_modules. Everything it talks to
 * comes in through `context`, created once per process.
 */
export function createApp(context: AppContext): express.Express {
  const { settings, log } = context;
  const app = express();
  app.disable('x-powered-by');
  // Every answer here is made fresh (bids, highest bids, pages with a CSRF token): hashing each body for
  // an ETag cost a sha1 on every accepted bid and bought no 304s.
  app.set('etag', false);
  app.set('trust proxy', settings.trustedProxies);
  app.set('view engine', 'ejs');
  app.set('views', fromRoot('views'));
  // Compile each template once per process, whatever NODE_ENV says (Express caches only in production).
  app.set('view cache', true);

  app.use(measureRequests(context.metrics));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.use('/assets/bootstrap', express.static(fromRoot('node_modules', 'bootstrap', 'dist'), { maxAge: '1d' }));
  // The dashboard's charts: Chart.js's browser build, served by the app itself (no CDN), like Bootstrap.
  app.use('/assets/chart.js', express.static(fromRoot('node_modules', 'chart.js', 'dist'), { maxAge: '1d' }));
  app.use('/assets', express.static(fromRoot('web', 'public'), { maxAge: '1h' }));

  // One budget per client for bid submissions, shared by the page and the API.
  const bidRateLimit = rateLimit({
    windowMs: 60_000,
    limit: settings.bidRateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const message = `Too many bids from this address: at most ${settings.bidRateLimitPerMinute} a minute. Please wait a moment.`;
      sendError(req, res, 429, message);
    },
  });

  // One budget per client for everything else but bids (pages, API reads, /readyz, live streams): what reads MySQL,
  // Kafka or the registry, or replays live history, is never free.
  const { rateLimitPerMinute } = settings.reads;
  const readRateLimit = rateLimit({
    windowMs: 60_000,
    limit: rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => req.method === 'POST',
    handler: (req, res) => {
      const message = `Too many requests from this address: at most ${rateLimitPerMinute} a minute. Please wait a moment.`;
      sendError(req, res, 429, message);
    },
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // For Prometheus: no rate limit and no CSRF token (it changes nothing), like /healthz.
  app.get('/metrics', async (_req, res) => {
    res.type(context.metrics.registry.contentType).send(await context.metrics.registry.metrics());
  });
  const openApi = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use(readRateLimit);
  app.get('/readyz', async (_req, res) => {
    const readiness = await context.readiness.answer();
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  // Before the other API routes; never compressed. Opening a stream counts against the read budget (each
  // reconnect replays history); SSE_MAX_CLIENTS caps the streams open at once.
  app.use('/api', eventRoutes(context));
  app.use(dashboardRoutes(context));
  app.use('/api', apiRoutes(context, bidRateLimit));
  // Only the page reads cookies (CSRF, the placed-bid confirmation): the API does not parse them.
  app.use(
    '/',
    cookieParser(settings.cookieSecret ?? randomBytes(32).toString('hex')),
    pageRoutes(context, bidRateLimit),
  );

  app.use((req, res) => sendError(req, res, 404, 'Not found.'));

  app.use((error: BodyParserError, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    switch (error.type) {
      case 'entity.parse.failed':
        sendError(req, res, 400, 'The request body is not valid JSON.');
        return;
      case 'entity.too.large':
        sendError(req, res, 413, `The request body is larger than ${BODY_LIMIT.replace('kb', ' KB')}.`);
        return;
      case 'parameters.too.many':
        sendError(req, res, 413, 'The form has too many fields.');
        return;
      case 'charset.unsupported':
      case 'encoding.unsupported':
        sendError(req, res, 415, 'The request body must be UTF-8 and not compressed.');
        return;
    }
    if (error.status !== undefined && error.status >= 400 && error.status < 500) {
      sendError(req, res, error.status, 'The request could not be read.');
      return;
    }
    log.error({ err: error.message, path: req.path }, 'request failed');
    sendError(req, res, 500, 'Something went wrong on our side; the request was not completed.');
  });
  return app;
}
