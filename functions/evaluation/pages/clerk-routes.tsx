/**
 * The institution clerk's results pages (HTML, zh-CN by default, ?lang=en remembered in a cookie):
 *
 * GET /clerk/scorecards                              clerk: their teams in the latest completed evaluation, with survey results
 * GET /clerk/scorecards/{evaluationId}/{teamId}      clerk: one of their teams' scorecard
 * GET /evaluator                                    evaluator: home — criteria drafts, recent runs
 */
import { createRoute } from '@hono/zod-openapi';
import type { Label } from '#shared/domain/scoring/index.ts';
import type { Deps } from '#shared/deps.ts';
import { createApiApp } from '#shared/http/api.ts';
import { canSeeInstitution, visibleOr404 } from '#shared/http/scope.ts';
import { idSchema } from '#shared/schemas/common.ts';
import * as z from '#shared/schemas/zod.ts';
import { clerkScope, teamsOfInstitution } from '#shared/services/clerk-overview.ts';
import { latestCompletedRun, scorecardOf, teamResults } from '#shared/services/clerk-results.ts';
import { pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { evaluatorOverview } from '#shared/services/home-overview.ts';
import { readPeriod } from '#shared/services/periods.ts';
import { teamTrendOf } from '#shared/services/trends.ts';
import { isAppealWindowOpen } from '#shared/domain/period-lifecycle.ts';

const langQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });

export function createClerkResultPages(deps: Deps) {
  const app = createApiApp();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/clerk/scorecards',
      tags: ['pages'],
      summary: "Page: the clerk's teams in the latest completed evaluation, with the period's survey results",
      ...pageAccess(deps, ['clerk']),
      request: { query: langQuery },
      responses: { 200: htmlResponse('The results'), 401: htmlResponse('Not signed in') },
    }),
    async (c) => {
      const scope = await clerkScope(deps, c.get('principal').institutionId);
      const [run, teams] = await Promise.all([latestCompletedRun(deps, scope.district.districtId), teamsOfInstitution(deps, scope.institution)]);
      const results = run ? await teamResults(deps, scope.district, run, teams) : [];
      // pages load on first use, not at the function's cold start
      const { ClerkResultsPage } = await import('./clerk-results-page.tsx');
      return htmlPage(c, <ClerkResultsPage shell={await shellOf(c, deps.db, pageLang(c), 'scorecards')} run={run} results={results} />, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/clerk/scorecards/{evaluationId}/{teamId}',
      tags: ['pages'],
      summary: "Page: one of the clerk's teams' scorecard in an evaluation",
      ...pageAccess(deps, ['clerk']),
      request: { params: z.object({ evaluationId: idSchema, teamId: idSchema }), query: langQuery },
      responses: { 200: htmlResponse('The scorecard'), 401: htmlResponse('Not signed in'), 404: htmlResponse('No such scorecard of your teams') },
    }),
    async (c) => {
      const { evaluationId, teamId } = c.req.valid('param');
      const principal = c.get('principal');
      const scope = await clerkScope(deps, principal.institutionId);
      const found = visibleOr404(
        await scorecardOf(deps, evaluationId, teamId),
        (s) => canSeeInstitution(principal, { districtId: s.run.districtId, institutionId: s.stored.institutionId }),
        `The scorecard of team ${teamId}`,
      );
      const team = (await teamsOfInstitution(deps, scope.institution)).find((t) => t.teamId === teamId);
      const labels = new Map<string, Label>(found.indicators.map((i) => [i.code, i.label]));
      const period = await readPeriod(deps, found.run.districtId, found.run.period);
      const appealable = isAppealWindowOpen(period, deps.now()) && period.officialRunId === evaluationId;
      const trend = await teamTrendOf(deps, { districtId: found.run.districtId, teamId, period: found.run.period, indicatorCodes: [...labels.keys()] });
      const shell = await shellOf(c, deps.db, pageLang(c), 'scorecards');
      const { ScorecardPage } = await import('./scorecard-page.tsx');
      return htmlPage(
        c,
        <ScorecardPage
          lang={shell.lang}
          run={found.run}
          stored={found.stored}
          teamName={team?.name ?? ''}
          labels={labels}
          institutionName={scope.institution.name}
          shell={shell}
          trend={trend}
          {...(appealable
            ? {
                appealHref: (indicator: string) =>
                  `/clerk/appeals?period=${found.run.period}&teamId=${encodeURIComponent(teamId)}` +
                  `&indicator=${encodeURIComponent(indicator)}&lang=${shell.lang}#file`,
              }
            : {})}
        />,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluator',
      tags: ['pages'],
      summary: "Page: the evaluator's home — criteria drafts and recent runs",
      ...pageAccess(deps, ['evaluator']),
      request: { query: langQuery },
      responses: { 200: htmlResponse('The home page'), 401: htmlResponse('Not signed in') },
    }),
    async (c) => {
      const districtId = c.get('principal').districtId ?? '';
      const overview = await evaluatorOverview(deps, districtId);
      const { EvaluatorHomePage } = await import('./home-page.tsx');
      return htmlPage(c, <EvaluatorHomePage shell={await shellOf(c, deps.db, pageLang(c), 'home')} districtId={districtId} {...overview} />, 200);
    },
  );

  return app;
}
