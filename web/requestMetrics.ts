import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { WebMetrics } from './webMetrics';

/** Answers served by `express.static` carry no route: their mount point stands for them all. */
const ASSET_ROUTE = '/assets/*';
/** Requests no route matched (404s): one label, so a scan of random URLs cannot grow the metric without bound. */
const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The route pattern a request was answered by (`/api/items/:item/highest`),
 * never its URL: a label per item or per query string would make a new time
 * series for every lot.
 */
export function routeLabel(req: Pick<Request, 'baseUrl' | 'originalUrl'> & { route?: { path?: unknown } }): string {
  const path = req.route?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  if (req.originalUrl.startsWith('/assets/')) return ASSET_ROUTE;
  return UNMATCHED_ROUTE;
}

/**
 * Counts every answered request and times it, by route pattern, method and
 * status. Labelled when the answer is finished, since only then is the
 * matching route known; a request whose client went away before the answer
 * counts with status `aborted`.
 */
export function measureRequests(metrics: WebMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const route = routeLabel(req);
      const method = req.method;
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      metrics.httpRequests.inc({ route, method, status });
      metrics.httpRequestDuration.observe({ route, method }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
