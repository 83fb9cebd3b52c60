import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

const COOKIE = 'bid_csrf';

/** The name of the hidden form field that carries the token back. */
export const CSRF_FIELD = '_csrf';

function signedCookie(req: Request, name: string): string | undefined {
  const value: unknown = (req.signedCookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The token for this browser's forms (double submit with a signed cookie):
 * the same value goes into an HttpOnly, SameSite=Strict cookie, signed with
 * the app's secret, and into a hidden field of the form. A page of another
 * site can neither read the cookie nor forge its signature.
 */
export function csrfTokenFor(req: Request, res: Response): string {
  const existing = signedCookie(req, COOKIE);
  if (existing) return existing;
  const token = randomBytes(24).toString('base64url');
  res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', signed: true, secure: req.secure, path: '/' });
  return token;
}

/** Whether a submitted form carries the token of its browser's cookie. */
export function hasValidCsrfToken(req: Request): boolean {
  const expected = signedCookie(req, COOKIE);
  const body = req.body as Record<string, unknown> | undefined;
  const sent = body?.[CSRF_FIELD];
  if (!expected || typeof sent !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
