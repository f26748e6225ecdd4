/**
 * The security headers of every response, pages and API alike (#16): a Content-Security-Policy
 * that runs no inline script (every page works without JavaScript; the one script page, the
 * local Swagger UI, loads its scripts from files), `frame-ancestors 'none'` and
 * X-Frame-Options DENY, nosniff, `Referrer-Policy: strict-origin` (a Referer never carries a
 * path: an invitation link's path is its token; the origin stays, because with no-referrer a
 * browser sends `Origin: null` on form posts and the CSRF check of shared/http/csrf.ts would
 * refuse every page form), HSTS, and the cross-origin isolation headers.
 *
 * Applied once per entry point, around the whole app, so 404s and errors carry them too:
 * `functions/lambda-entry.ts` (each deployed function) and `local/server.ts` (npm start, tests).
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // inline <style> blocks and style attributes of the server-rendered pages (no script can be injected through them)
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'strict-origin',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
  });
}
