/**
 * The administrator's period pages (HTML, zh-CN by default, ?lang=en): whether each recent
 * period of a district is open to metric uploads, and closing or reopening one behind a
 * confirmation page (reopening asks for a reason). They call the same service as the JSON API's
 * close and reopen routes (shared/services/period-status.ts).
 *
 * GET  /admin/districts/{districtId}/periods                         admin: the last six quarters and the last year
 * GET  /admin/districts/{districtId}/periods/{period}/{action}       admin: the confirmation (action: close | reopen)
 * POST /admin/districts/{districtId}/periods/{period}/{action}       admin: do it (fields: reason, lang) → the list
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { PERIOD_PATTERN, previousQuarter, quarterOf } from '#shared/domain/periods.ts';
import type { Deps } from '#shared/deps.ts';
import { createApiApp } from '#shared/http/api.ts';
import { idSchema } from '#shared/schemas/common.ts';
import { changePeriodStatus, periodStatuses } from '#shared/services/period-status.ts';
import { districtOf } from '#shared/services/registry.ts';
import { emptyForm } from '#shared/web/fields.tsx';
import { formValues } from '#shared/web/forms.ts';
import { chinaTime, periodLabel } from '#shared/web/format.ts';
import { langOf } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { sessionOf } from '#shared/web/session.ts';
import { PERIOD_TEXT, PeriodConfirmPage, PeriodListPage } from './period-pages.tsx';

const QUARTERS_SHOWN = 6;

/** The current quarter and the five before it, newest first, then last year. */
function recentPeriods(today: string): string[] {
  const quarters = [quarterOf(today)];
  while (quarters.length < QUARTERS_SHOWN) quarters.push(previousQuarter(quarters.at(-1)!));
  return [...quarters, String(Number(today.slice(0, 4)) - 1)];
}

export function createPeriodPages(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;
  const access = pageAccess(deps, ['admin'], { backOf: (path) => path.replace(/\/[^/]+\/(close|reopen)$/, '') });
  const listParams = z.object({ districtId: idSchema });
  const actionParams = listParams.extend({ period: z.string().regex(PERIOD_PATTERN), action: z.enum(['close', 'reopen']) });
  const langQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });
  const denied = { 401: htmlResponse('Not signed in'), 403: htmlResponse('Not an administrator, or a cross-site form'), 404: htmlResponse('No such district') };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/districts/{districtId}/periods',
      tags: ['admin pages'],
      summary: "Page: a district's recent periods, open or closed to metric uploads, with who changed that when and why",
      ...access,
      request: {
        params: listParams,
        query: langQuery.extend({ done: z.enum(['close', 'reopen']).optional(), period: z.string().regex(PERIOD_PATTERN).optional() }),
      },
      responses: { 200: htmlResponse('The periods'), ...denied },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { lang: chosen, done, period } = c.req.valid('query');
      const lang = langOf(chosen);
      const t = PERIOD_TEXT[lang];
      const district = await districtOf(db, districtId);
      const statuses = await periodStatuses(deps, districtId, recentPeriods(chinaTime(deps.now().toISOString(), 'en').slice(0, 10)));
      const notice = done && period ? (done === 'close' ? t.closedNotice : t.reopenedNotice)(periodLabel(period, lang)) : undefined;
      return htmlPage(
        c,
        <PeriodListPage
          lang={lang}
          session={await sessionOf(db, c.get('principal'))}
          districtId={districtId}
          districtName={district.name}
          statuses={statuses}
          notice={notice}
        />,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/districts/{districtId}/periods/{period}/{action}',
      tags: ['admin pages'],
      summary: 'Page: confirm closing a period to uploads, or reopening it with a reason',
      ...access,
      request: { params: actionParams, query: langQuery },
      responses: { 200: htmlResponse('The confirmation'), ...denied },
    }),
    async (c) => {
      const { districtId, period, action } = c.req.valid('param');
      const lang = langOf(c.req.valid('query').lang);
      const district = await districtOf(db, districtId);
      return htmlPage(
        c,
        <PeriodConfirmPage
          lang={lang}
          session={await sessionOf(db, c.get('principal'))}
          districtId={districtId}
          districtName={district.name}
          period={period}
          action={action}
          form={emptyForm()}
        />,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/districts/{districtId}/periods/{period}/{action}',
      tags: ['admin pages'],
      summary: 'Page form: close the period, or reopen it (reason required), then the list',
      ...access,
      request: { params: actionParams },
      responses: { 303: redirectResponse('Done: to the periods'), 400: htmlResponse('Reopening without a reason: the confirmation again'), ...denied },
    }),
    async (c) => {
      const { districtId, period, action } = c.req.valid('param');
      const values = await formValues(c);
      const lang = langOf(values.lang);
      const reason = (values.reason ?? '').trim().slice(0, 500);
      if (action === 'reopen' && !reason) {
        const district = await districtOf(db, districtId);
        const form = { values, errors: [{ field: 'reason', message: PERIOD_TEXT[lang].reasonRequired }] };
        return htmlPage(
          c,
          <PeriodConfirmPage
            lang={lang}
            session={await sessionOf(db, c.get('principal'))}
            districtId={districtId}
            districtName={district.name}
            period={period}
            action={action}
            form={form}
          />,
          400,
        );
      }
      await changePeriodStatus(deps, { districtId, period, action, by: c.get('principal').subject, reason });
      return c.redirect(`/admin/districts/${districtId}/periods?lang=${lang}&done=${action}&period=${period}`, 303);
    },
  );

  return app;
}
