/**
 * The second line against cross-site request forgery (SameSite=Lax on the gk_token cookie is
 * the first): a state-changing request that signs in with the cookie must show that it comes
 * from this site, by an Origin header equal to this server's origin or, where a browser sends no
 * Origin, by `Sec-Fetch-Site: same-origin`. Anything else (a foreign or "null" Origin, no
 * evidence at all) is refused. Requests with a bearer token carry no ambient credential and are
 * not checked.
 */
import type { HonoRequest } from 'hono';

const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Why a cookie-authenticated request is refused as cross-site, or null when it may go on. */
export function crossSiteCookieRefusal(req: HonoRequest): string | null {
  if (!UNSAFE_METHODS.has(req.method)) return null;
  const origin = req.header('origin');
  if (origin !== undefined) return origin === new URL(req.url).origin ? null : 'A cross-site request cannot use the sign-in cookie';
  if (req.header('sec-fetch-site') === 'same-origin') return null;
  return 'A request that uses the sign-in cookie must show it comes from this site (Origin or Sec-Fetch-Site: same-origin)';
}
