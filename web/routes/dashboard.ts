import { Router } from 'express';
import type { AppContext } from '../appContext';
import { MINUTE_WINDOWS, RATE_WINDOWS, WINDOW_SECONDS } from '../dashboard/dashboardWindows';
import { answerUnavailable } from './api';
import { refuseStream, startEventStream, streamsFull } from './events';

/**
 * The dashboard: `GET /dashboard` (the page, rendered with the latest
 * figures), `GET /api/dashboard` (the same snapshot as JSON) and
 * `GET /api/dashboard/events` (a snapshot every second, as Server-Sent Events).
 */
export function dashboardRoutes(context: AppContext): Router {
  const router = Router();
  const { snapshots, feed } = context.dashboard;

  router.get('/dashboard', async (_req, res) => {
    const snapshot = await snapshots.latest();
    res.set('Cache-Control', 'no-store');
    res.render('dashboard', {
      snapshot,
      windowSeconds: WINDOW_SECONDS,
      rateMinutes: (RATE_WINDOWS * WINDOW_SECONDS) / 60,
      minuteWindows: MINUTE_WINDOWS,
      // Read by web/public/dashboard.js: `<` escaped so the data cannot close its element.
      snapshotJson: JSON.stringify(snapshot).replace(/</g, '\\u003c'),
    });
  });

  router.get('/api/dashboard', async (_req, res) => {
    const snapshot = await snapshots.latest();
    if (snapshot.state === 'unavailable') {
      answerUnavailable(res, 'The dashboard', snapshot);
      return;
    }
    res.set('Cache-Control', 'no-store').json(snapshot);
  });

  router.get('/api/dashboard/events', (req, res) => {
    if (streamsFull(context)) {
      refuseStream(context, res);
      return;
    }
    startEventStream(req, res);
    feed.open(res);
  });
  return router;
}
