/**
 * Building blocks of every function app: the OpenAPIHono factory (validation errors become
 * problem+json naming the field), and `access(...)`, which every route spreads into its
 * createRoute config to declare who may call it. Middleware is attached per route, never
 * with app.use('*'), so apps can be mounted side by side in the local server.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import type { Deps } from '../deps.ts';
import { crossSiteCookieRefusal } from './csrf.ts';
import { notFoundRoute, onError } from './on-error.ts';
import type { ReaderLang } from './lang.ts';
import type { Principal, Role } from './principal.ts';
import { zodFieldErrors } from '../domain/field-errors.ts';
import { problems } from './problem.ts';

/** `lang`: set by page routes to the page's language (./lang.ts). */
export type ApiEnv = { Variables: { principal: Principal; lang: ReaderLang } };

export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

const TARGET_NAMES: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header', form: 'body' };

export function createApiApp(): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success)
        throw problems.validation(zodFieldErrors(result.error, TARGET_NAMES[result.target] ?? result.target, (result as { data?: unknown }).data));
    },
  });
  app.onError(onError);
  app.notFound(notFoundRoute);
  return app;
}

/**
 * GET and HEAD requests carry no body (@hono/node-server gives them none, the Lambda adapter's Request refuses one):
 * they skip the check, which would otherwise make @hono/node-server build a full fetch Request per read to find none.
 */
function limitBody(maxSize: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw problems.tooLarge(maxSize);
    },
  });
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next));
}

/** The HttpOnly cookie the pages sign in with: set by functions/sign-in when deployed (SameSite=Lax), by local/dev-auth.ts locally. */
export const TOKEN_COOKIE = 'gk_token';

/**
 * The caller from `Authorization: Bearer …`, or, without that header, from the gk_token cookie.
 * A cookie travels with any request the browser makes, so a cookie-authenticated unsafe
 * request must prove it comes from this site (./csrf.ts).
 */
function authenticate(deps: Deps, roles: readonly Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const cookie = header === undefined ? getCookie(c, TOKEN_COOKIE) : undefined;
    const token = bearer ?? cookie;
    const principal = token ? await deps.verifyToken(token) : null;
    if (!principal) throw problems.unauthenticated();
    if (bearer === undefined) {
      const refusal = crossSiteCookieRefusal(c.req);
      if (refusal) throw problems.forbidden(refusal, { code: 'cross-site-cookie' });
    }
    if (!roles.includes(principal.role))
      throw problems.forbidden(`This route is for: ${roles.join(', ')}`, { code: 'role-not-allowed', details: { roles: roles.join(', ') } });
    c.set('principal', principal);
    await next();
  };
}

/** Route config for a signed-in route open to the given roles. Scope (district, institution) is checked in the handler. */
export function access(deps: Deps, roles: readonly Role[], options: { bodyLimitBytes?: number } = {}) {
  return {
    middleware: [authenticate(deps, roles), limitBody(options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES)] as MiddlewareHandler<ApiEnv>[],
    security: [{ bearer: [] }],
    'x-roles': [...roles],
  };
}

/** Route config for a route anyone may call (health, invitation links). */
export function publicAccess(options: { bodyLimitBytes?: number } = {}) {
  return {
    middleware: [limitBody(options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES)] as MiddlewareHandler<ApiEnv>[],
    security: [] as { bearer: string[] }[],
    'x-roles': ['public'],
  };
}
