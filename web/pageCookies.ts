import type { CookieOptions, Request, Response } from 'express';

/** The cookies the bid page sets: its forms' CSRF token and the confirmation of a placed bid. */
export type PageCookie = 'bid_csrf' | 'bid_placed';

/**
 * A page cookie's name for this request. Over HTTPS (`req.secure`: the
 * connection itself, or `X-Forwarded-Proto` from the `TRUST_PROXY_HOPS`
 * proxies) it carries the `__Host-` prefix, with which a browser takes it
 * only from this very host over HTTPS, with `Secure`, `Path=/` and no
 * `Domain`: a neighbouring subdomain or a plain-HTTP page cannot set or
 * overwrite it. Over plain HTTP (local development) a browser refuses a
 * `__Host-` cookie, so the plain name is used, and only there.
 */
function cookieName(req: Request, cookie: PageCookie): string {
  return req.secure ? `__Host-${cookie}` : cookie;
}

function cookieOptions(req: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' };
}

/** Sets a page cookie, signed with the app's secret; `maxAgeMs` makes it short-lived, else it lasts the browser session. */
export function setPageCookie(req: Request, res: Response, cookie: PageCookie, value: string, maxAgeMs?: number): void {
  const options: CookieOptions = { ...cookieOptions(req), signed: true };
  if (maxAgeMs !== undefined) options.maxAge = maxAgeMs;
  res.cookie(cookieName(req, cookie), value, options);
}

/** A page cookie's value if it came with this request under this protocol's name and its signature holds. */
export function readPageCookie(req: Request, cookie: PageCookie): string | undefined {
  const value: unknown = (req.signedCookies as Record<string, unknown> | undefined)?.[cookieName(req, cookie)];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Removes a page cookie from the browser. */
export function clearPageCookie(req: Request, res: Response, cookie: PageCookie): void {
  res.clearCookie(cookieName(req, cookie), cookieOptions(req));
}
