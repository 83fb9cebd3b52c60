import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { MAX_PRICE, MAX_TEXT_LENGTH } from '../../lib/bid/bid';
import type { ActiveLotsView } from '../activeLots';
import type { AppContext } from '../appContext';
import { BODY_LIMIT } from '../bodyLimit';
import { priceFromForm } from '../bidRequest';
import type { HighestBid } from '../highestBid';
import { CSRF_FIELD, csrfTokenFor, hasValidCsrfToken } from '../csrf';
import { lotQuery } from '../lotQuery';
import { withPlacedBid } from '../placedBidFigures';
import { rememberPlacedBid, takePlacedBid, type PlacedConfirmation } from '../placedConfirmation';
import type { RecentBidsView } from '../recentBids';

/** What the form shows back: exactly what was typed. */
interface FormValues {
  item: string;
  name: string;
  price: string;
}

export interface BidPageModel {
  csrfField: string;
  csrfToken: string;
  values: FormValues;
  /** Field name → message, shown beside the field. */
  fieldErrors: Record<string, string>;
  /** A problem with the whole submission (expired form, Kafka unavailable, rate limit). */
  formError: string | undefined;
  placed: PlacedConfirmation | undefined;
  item: string | undefined;
  highestOverall: HighestBid;
  highestForItem: HighestBid | undefined;
  /** The selected item's last bids, newest first. */
  recentBids: RecentBidsView | undefined;
  activeLots: ActiveLotsView;
  limits: { maxPrice: number; maxTextLength: number };
}

const EMPTY_FORM: FormValues = { item: '', name: '', price: '' };

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

async function renderPage(
  req: Request,
  res: Response,
  context: AppContext,
  status: number,
  form: Partial<Pick<BidPageModel, 'values' | 'fieldErrors' | 'formError' | 'placed'>> & { item?: string },
): Promise<void> {
  const lot = lotQuery(form.item);
  const item = lot.ok ? lot.item : undefined;
  const [highestOverall, highestForItem, recentBids, activeLots] = await Promise.all([
    context.highest.overall(),
    item === undefined ? undefined : context.highest.forItem(item),
    item === undefined ? undefined : context.recentBids.forItem(item),
    context.activeLots.mostActive(),
  ]);
  const figures = withPlacedBid({ highestOverall, highestForItem, recentBids }, form.placed, item);
  const model: BidPageModel = {
    csrfField: CSRF_FIELD,
    csrfToken: csrfTokenFor(req, res),
    values: form.values ?? EMPTY_FORM,
    fieldErrors: form.fieldErrors ?? {},
    formError: form.formError,
    placed: form.placed,
    item,
    ...figures,
    activeLots,
    limits: { maxPrice: MAX_PRICE, maxTextLength: MAX_TEXT_LENGTH },
  };
  // The page carries this browser's CSRF token and, once, its placed bid: no cache may keep it.
  res.set('Cache-Control', 'no-store');
  res.status(status).render('index', model);
}

/** The bid page: GET / shows the form and the highest bids; POST /bids places a bid and redirects back. */
export function pageRoutes(context: AppContext, rateLimit: RequestHandler): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const placed = takePlacedBid(req, res);
    const lot = lotQuery(textOf(req.query.item) || placed?.item);
    const item = lot.ok ? lot.item : undefined;
    await renderPage(req, res, context, 200, { placed, item, values: { ...EMPTY_FORM, item: item ?? '' } });
  });

  router.post(
    '/bids',
    rateLimit,
    express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 20 }),
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values: FormValues = { item: textOf(body.item), name: textOf(body.name), price: textOf(body.price) };
      if (!hasValidCsrfToken(req)) {
        await renderPage(req, res, context, 403, {
          values,
          item: values.item,
          formError: 'This form has expired or did not come from this page. Please check the bid and submit it again.',
        });
        return;
      }
      const outcome = await context.intake.place({
        item: body.item,
        name: body.name,
        price: priceFromForm(body.price),
      });
      switch (outcome.kind) {
        case 'accepted':
          rememberPlacedBid(req, res, outcome.bid);
          res.set('Cache-Control', 'no-store');
          res.redirect(303, `/?item=${encodeURIComponent(outcome.bid.item)}`);
          return;
        case 'invalid': {
          const fieldErrors: Record<string, string> = {};
          for (const error of outcome.errors) fieldErrors[error.field] ??= error.message;
          await renderPage(req, res, context, 422, { values, fieldErrors, item: values.item });
          return;
        }
        case 'unavailable':
          res.set('Retry-After', outcome.reason === 'busy' ? '1' : '5');
          await renderPage(req, res, context, 503, { values, formError: outcome.message, item: values.item });
          return;
      }
    },
  );
  return router;
}
