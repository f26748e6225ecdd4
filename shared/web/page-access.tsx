/**
 * Route config of the staff pages: the same sign-in and role check as the API, and errors
 * answered as HTML pages (the status kept; 401 links to /login, a failed form post back to its page).
 */
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../deps.ts';
import type { FieldError } from '../domain/field-errors.ts';
import { access, type ApiEnv } from '../http/api.ts';
import { PAGE_LANG } from '../http/lang.ts';
import type { Role } from '../http/principal.ts';
import { ErrorPage } from './error-page.tsx';
import { pageLang } from './lang.ts';
import { htmlPage } from './responses.ts';

export interface PageAccessOptions {
  /** default: 32 KiB, plenty for a form */
  bodyLimitBytes?: number;
  /** where "back" leads from a failed form post to `pathname`: the page the form was on (default: without a trailing /approve, /close or /publish) */
  backOf?: (pathname: string) => string;
}

const FORM_BODY_LIMIT_BYTES = 32 * 1024;
const pageOfAction = (pathname: string) => pathname.replace(/\/(approve|close|publish)$/, '');

function htmlProblems(backOf: (pathname: string) => string): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    // the route's problems in the page's language (shared/http/lang.ts)
    c.set(PAGE_LANG as 'lang', pageLang(c));
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (c.res.status < 400 || !type.includes('problem+json')) return;
    const body = (await c.res
      .clone()
      .json()
      .catch(() => ({}))) as { detail?: string; code?: string; errors?: FieldError[] } & Record<string, unknown>;
    const url = new URL(c.req.url);
    const lang = c.get(PAGE_LANG as 'lang');
    const back = c.req.method === 'POST' ? backOf(url.pathname) : undefined;
    // the texts of every problem code, loaded with the first error page rather than at cold start
    const { localizedMessage } = await import('../domain/messages/index.ts');
    c.res = await htmlPage(
      c,
      <ErrorPage
        lang={lang}
        status={c.res.status}
        detail={(body.code ? localizedMessage(body.code, lang, body) : undefined) ?? body.detail}
        {...(Array.isArray(body.errors) ? { errors: body.errors } : {})}
        signInHref={`/login?next=${encodeURIComponent(c.req.method === 'GET' ? url.pathname + url.search : (back ?? '/'))}`}
        {...(back ? { backHref: `${back}?lang=${lang}` } : {})}
      />,
      c.res.status as 400,
    );
  };
}

export function pageAccess(deps: Deps, roles: readonly Role[], options: PageAccessOptions = {}) {
  const config = access(deps, roles, { bodyLimitBytes: options.bodyLimitBytes ?? FORM_BODY_LIMIT_BYTES });
  return { ...config, middleware: [htmlProblems(options.backOf ?? pageOfAction), ...config.middleware] };
}
