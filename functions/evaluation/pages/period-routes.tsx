/**
 * The evaluator's period pages (HTML, zh-CN by default, ?lang=en):
 *
 * GET  /evaluator/districts/{districtId}/periods                    evaluator, admin, finance: the current and the last four quarters with their states
 * GET  /evaluator/districts/{districtId}/periods/{period}           evaluator, admin, finance: state, deadlines, completeness, appeals, transitions
 * POST /evaluator/districts/{districtId}/periods/{period}/publish   evaluator, admin: publish (a confirmation box) → the page
 * POST /evaluator/appeals/{appealId}/decision                      evaluator, admin: accept or reject with a reason → the period page
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Deps } from '#shared/deps.ts';
import type { ApiEnv } from '#shared/http/api.ts';
import { problems } from '#shared/http/problem.ts';
import { assertDistrictInPath } from '#shared/http/scope.ts';
import { idSchema } from '#shared/schemas/common.ts';
import { periodParamSchema } from '#shared/schemas/metrics.ts';
import { decideAppeal, listAppeals } from '#shared/services/appeals.ts';
import { visibleAppeal } from '#shared/services/appeal-access.ts';
import { periodCompleteness, publishPeriod, readPeriod } from '#shared/services/periods.ts';
import { pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { requirePeriodParam } from '../periods.ts';
import { quarterOf } from '#shared/domain/periods.ts';
import { localDateAt } from '#shared/domain/period-close.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { getCatalogue } from '#shared/data/metric-catalogue.ts';
import { indicatorsOfRun } from '#shared/services/clerk-appeals.ts';
import { appealQuarters } from '#shared/services/appeal-summary.ts';
import { teamNamesOfDistrict } from '#shared/services/periods.ts';

const params = z.object({ districtId: idSchema, period: periodParamSchema });

export function registerPeriodPages(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator/districts/{districtId}/periods',
      tags: ['evaluator pages'],
      summary: 'Page: the current and the last four quarters, each with its state, deadlines and open appeals',
      ...pageAccess(deps, ['evaluator', 'admin', 'finance']),
      request: { params: z.object({ districtId: idSchema }) },
      responses: { 200: htmlResponse('The periods'), 401: htmlResponse('Not signed in') },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      const periods = [quarterOf(localDateAt(deps.now())), ...appealQuarters(deps.now())];
      const views = await Promise.all(periods.map((period) => readPeriod(deps, districtId, period)));
      // page modules load on first use, not at cold start (the bundle budget, test/infra/gatekeeper-stack.test.ts)
      const { PeriodListPage } = await import('./period-page.tsx');
      return htmlPage(c, <PeriodListPage shell={await shellOf(c, deps.db, pageLang(c), 'periods')} districtId={districtId} views={views} />, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator/districts/{districtId}/periods/{period}',
      tags: ['evaluator pages'],
      summary: 'Page: a period — state, deadlines, completeness per institution, publication, appeals to decide, transitions',
      ...pageAccess(deps, ['evaluator', 'admin', 'finance']),
      request: { params },
      responses: { 200: htmlResponse('The period'), 401: htmlResponse('Not signed in') },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      requirePeriodParam(period);
      const [view, completeness, appeals] = await Promise.all([
        readPeriod(deps, districtId, period),
        periodCompleteness(deps, districtId, period),
        listAppeals(deps, districtId, period, principal),
      ]);
      const canAct = principal.role === 'evaluator' || principal.role === 'admin';
      const lang = pageLang(c);
      const [teams, indicators, catalogue] = await Promise.all([
        appeals.length > 0 ? teamNamesOfDistrict(deps, districtId) : new Map<string, string>(),
        indicatorsOfRun(deps, districtId, view.officialRunId),
        getCatalogue(deps.db, districtId),
      ]);
      const names = {
        teams,
        indicators: new Map(indicators.map((i) => [i.code, i.label[lang]])),
        metrics: new Map(catalogue.definitions.map((m) => [m.code, m.name[lang]])),
      };
      const { PeriodPage } = await import('./period-page.tsx');
      return htmlPage(
        c,
        <PeriodPage
          shell={await shellOf(c, deps.db, lang, 'periods')}
          names={names}
          canDownload={principal.role === 'evaluator'}
          districtId={districtId}
          view={view}
          completeness={completeness}
          appeals={appeals}
          canAct={canAct}
        />,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/evaluator/districts/{districtId}/periods/{period}/publish',
      tags: ['evaluator pages'],
      summary: 'Form: publish the official results (confirm=yes) → the period page',
      ...pageAccess(deps, ['evaluator', 'admin']),
      request: { params },
      responses: { 303: redirectResponse('Published'), 400: htmlResponse('Not confirmed'), 409: htmlResponse('Not in a state to publish') },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      requirePeriodParam(period);
      const form = await c.req.parseBody();
      if (form.confirm !== 'yes') throw problems.validation([{ field: 'body.confirm', message: 'Confirm the publication' }]);
      await publishPeriod(deps, { districtId, period, by: principal.subject });
      return c.redirect(`/evaluator/districts/${districtId}/periods/${period}?lang=${pageLang(c)}`, 303);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/evaluator/appeals/{appealId}/decision',
      tags: ['evaluator pages'],
      summary: 'Form: accept or reject an appeal with a reason → the period page',
      ...pageAccess(deps, ['evaluator', 'admin']),
      request: { params: z.object({ appealId: idSchema }) },
      responses: { 303: redirectResponse('Decided'), 400: htmlResponse('No reason'), 409: htmlResponse('Already decided') },
    }),
    async (c) => {
      const { appealId } = c.req.valid('param');
      // out of scope is 404 before anything about the form
      await visibleAppeal(deps, appealId, c.get('principal'));
      const form = await c.req.parseBody();
      const decision = form.decision === 'accept' ? 'accept' : form.decision === 'reject' ? 'reject' : null;
      if (!decision) throw problems.validation([{ field: 'body.decision', message: 'accept or reject' }]);
      const value = typeof form.value === 'string' && form.value.trim() ? Number(form.value) : undefined;
      if (value !== undefined && !Number.isFinite(value)) throw problems.validation([{ field: 'body.value', message: 'Expected number' }]);
      const appeal = await decideAppeal(deps, { appealId, caller: c.get('principal'), decision, reason: String(form.reason ?? ''), value });
      return c.redirect(`/evaluator/districts/${appeal.districtId}/periods/${appeal.period}?lang=${pageLang(c)}`, 303);
    },
  );
}
