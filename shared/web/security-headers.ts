/**
 * The security headers of every response, pages and API alike (#16): a Content-Security-Policy
 * that runs no inline script but those declared with allowInlineScript (by their hash; every
 * page works without JavaScript, the scripts only improve the forms), `frame-ancestors 'none'` and
 * X-Frame-Options DENY, nosniff, `Referrer-Policy: strict-origin` (a Referer never carries a
 * path: an invitation link's path is its token; the origin stays, because with no-referrer a
 * browser sends `Origin: null` on form posts and the CSRF check of shared/http/csrf.ts would
 * refuse every page form), HSTS, and the cross-origin isolation headers.
 *
 * Applied once per entry point, around the whole app, so 404s and errors carry them too:
 * `functions/lambda-entry.ts` (each deployed function) and `local/server.ts` (npm start, tests).
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The sha256 sources of the inline scripts pages declared with allowInlineScript. */
const scriptHashes = new Set<string>();

/**
 * An inline script the Content-Security-Policy lets run, by its hash: call it at module load with
 * the script's exact text and render what it returns (`<script>{raw(SCRIPT)}</script>`). Any
 * other inline script is blocked.
 */
export function allowInlineScript(code: string): string {
  scriptHashes.add(`'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`);
  return code;
}

const STATIC_DIRECTIVES = [
  "default-src 'self'",
  // inline <style> blocks and style attributes of the server-rendered pages (no script can be injected through them)
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
];

let policy = { hashes: -1, text: '' };

/**
 * The policy as it stands: pages loaded lazily declare their scripts while the request runs, so it
 * is read after it; built again only when a script was declared since (hashes are only ever added).
 */
function contentSecurityPolicy(): string {
  if (policy.hashes !== scriptHashes.size) {
    const text = [...STATIC_DIRECTIVES.slice(0, 1), ["script-src 'self'", ...scriptHashes].join(' '), ...STATIC_DIRECTIVES.slice(1)].join('; ');
    policy = { hashes: scriptHashes.size, text };
  }
  return policy.text;
}

export function securityHeaders(): MiddlewareHandler {
  const others = secureHeaders({
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'strict-origin',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
  });
  return async (c, next) => {
    await others(c, next);
    c.res.headers.set('content-security-policy', contentSecurityPolicy());
  };
}
