/**
 * The settlement job page of the finance function: a job refreshing itself until done, then on to
 * the settlement or to the form with the preview (the job's JSON route is ../job-routes.tsx).
 * Registered by ./routes.ts.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Deps } from '#shared/deps.ts';
import { messageOnDemand } from '#shared/domain/messages/on-demand.ts';
import type { ApiEnv } from '#shared/http/api.ts';
import type { Role } from '#shared/http/principal.ts';
import * as z from '#shared/schemas/zod.ts';
import { type SettlementJobView, settlementJobView } from '#shared/services/settlements-jobs.ts';
import { pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { shellOf } from '#shared/web/shell.tsx';
import { htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { jobParams, visibleJob } from '../job-routes.tsx';

const READERS: readonly Role[] = ['finance', 'admin'];
const JOB_REFRESH_SECONDS = 1;

export function registerSettlementJobPage(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  const { db } = deps;

  /** Where a done job leads on the pages. `back`: the new-settlement form's query a preview came from. */
  function resultHref(view: SettlementJobView, lang: string, back: string | undefined): string | null {
    if (view.status !== 'done') return null;
    if (view.kind === 'preview') {
      const query = new URLSearchParams(back ?? '');
      query.delete('preview');
      query.set('previewJob', view.jobId);
      query.set('lang', lang);
      return `/finance/districts/${view.districtId}/settlements/new?${query}`;
    }
    return `/finance/settlements/${view.settlementId}?lang=${lang}${view.kind === 'create' ? '&done=created' : ''}`;
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/settlement-jobs/{jobId}',
      tags: ['finance pages'],
      summary: 'Page: a settlement job, refreshing itself (meta refresh) until done, then on to the settlement or the preview',
      ...pageAccess(deps, READERS),
      request: { params: jobParams, query: z.object({ lang: z.string().max(8).optional(), back: z.string().max(4000).optional() }) },
      responses: {
        200: htmlResponse('The job, running or failed'),
        303: redirectResponse('Done: to the settlement, or to the form with the preview'),
        401: htmlResponse('Not signed in'),
        404: htmlResponse('No such job in your district'),
      },
    }),
    async (c) => {
      const job = await visibleJob(db, c.get('principal'), c.req.valid('param').jobId);
      const { back } = c.req.valid('query');
      // ?lang= when given, else the language remembered in the cookie (as on the other finance pages)
      const lang = pageLang(c);
      const view = settlementJobView(job, deps.now());
      const href = resultHref(view, lang, back);
      if (href) return c.redirect(href, 303);
      const problem = view.problem ? ((await messageOnDemand(view.problem.code, lang, view.problem.details)) ?? view.problem.detail) : null;
      const { SettlementJobPage } = await import('./settlement-job-page.tsx');
      const working = view.status === 'queued' || view.status === 'running';
      const shell = await shellOf(c, db, lang, 'settlements');
      return c.html(<SettlementJobPage lang={lang} shell={shell} job={view} problem={problem} resultHref={href} refreshSeconds={JOB_REFRESH_SECONDS} />, 200, {
        'cache-control': 'no-store',
        ...(working ? { refresh: String(JOB_REFRESH_SECONDS) } : {}),
      });
    },
  );
}
