import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { readPageCookie, setPageCookie } from './pageCookies';

/** The name of the hidden form field that carries the token back. */
export const CSRF_FIELD = '_csrf';

/**
 * The token for this browser's forms (double submit with a signed cookie):
 * the same value goes into an HttpOnly, SameSite=Strict cookie, signed with
 * the app's secret (`__Host-` over HTTPS: see `pageCookies.ts`), and into a
 * hidden field of the form. A page of another site can neither read the
 * cookie nor forge its signature.
 */
export function csrfTokenFor(req: Request, res: Response): string {
  const existing = readPageCookie(req, 'bid_csrf');
  if (existing) return existing;
  const token = randomBytes(24).toString('base64url');
  setPageCookie(req, res, 'bid_csrf', token);
  return token;
}

/** Whether a submitted form carries the token of its browser's cookie. */
export function hasValidCsrfToken(req: Request): boolean {
  const expected = readPageCookie(req, 'bid_csrf');
  const body = req.body as Record<string, unknown> | undefined;
  const sent = body?.[CSRF_FIELD];
  if (!expected || typeof sent !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
