/**
 * Route config of the finance pages (also used by the reports function): the same sign-in and
 * role check as the API, a small form body limit, and errors answered as HTML pages.
 */
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import type { Role } from '#shared/http/principal.ts';
import { localizedMessage } from '#shared/domain/messages/index.ts';
import { langOf } from '#shared/web/lang.ts';
import { ErrorPage } from './pages/list-page.tsx';

/**
 * Page routes answer errors as HTML: whatever problem+json the route produced (401 from the
 * sign-in check included) is rendered as a page with the same status; 401 links to /login.
 */
const htmlProblems: MiddlewareHandler<ApiEnv> = async (c, next) => {
  await next();
  const type = c.res.headers.get('content-type') ?? '';
  if (c.res.status < 400 || !type.includes('problem+json')) return;
  const body = (await c.res
    .clone()
    .json()
    .catch(() => ({}))) as { detail?: string; code?: string } & Record<string, unknown>;
  const url = new URL(c.req.url);
  const lang = langOf(url.searchParams.get('lang') ?? undefined);
  const back = c.req.method === 'POST' ? url.pathname.replace(/\/(approve|close)$/, '') : undefined;
  c.res = await c.html(
    <ErrorPage
      lang={lang}
      status={c.res.status}
      detail={(body.code ? localizedMessage(body.code, lang, body) : undefined) ?? body.detail}
      signInHref={`/login?next=${encodeURIComponent(c.req.method === 'GET' ? url.pathname + url.search : (back ?? '/'))}`}
      backHref={back ? `${back}?lang=${lang}` : undefined}
    />,
    c.res.status as 400,
  );
};

export function pageAccess(deps: Deps, roles: readonly Role[]) {
  const config = access(deps, roles, { bodyLimitBytes: 32 * 1024 });
  return { ...config, middleware: [htmlProblems, ...config.middleware] };
}

