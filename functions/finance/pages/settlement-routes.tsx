/**
 * The settlement pages of the finance function (see ../app.tsx for the list): the district's
 * settlements, the new-settlement form with its preview, creating one, a settlement with its
 * lines, approving and closing it. Registered by ./routes.ts.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DomainError } from '#shared/domain/errors.ts';
import { messageOnDemand } from '#shared/domain/messages/on-demand.ts';
import { readPeriod } from '#shared/services/periods.ts';
import { hasPeriodEnded } from '#shared/domain/period-close.ts';
import { type EvaluationRun, getRun, listRuns } from '#shared/data/evaluations.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { allLines, listAudit, listSettlements, memberLinesOfTeams } from '#shared/data/settlements.ts';
import type { Deps } from '#shared/deps.ts';
import type { ApiEnv } from '#shared/http/api.ts';
import type { Principal, Role } from '#shared/http/principal.ts';
import { assertDistrictInPath } from '#shared/http/scope.ts';
import * as z from '#shared/schemas/zod.ts';
import { approveSettlement, closeSettlement, effectiveFinanceSettings, settlementLinesPage } from '#shared/services/settlements.ts';
import { requestSettlementJob, type SettlementPreview } from '#shared/services/settlements-jobs.ts';
import type { SettlementJobRunner } from '#shared/services/settlements-job-event.ts';
import { getSettlementJob, getSettlementJobResult } from '#shared/data/settlement-jobs.ts';
import type { InstitutionLine, TeamLine } from '#shared/domain/settlements/compute.ts';
import { formLang, type Lang, pageLang } from '#shared/web/lang.ts';
import { formFrom, requestFromForm } from './settlement-form.ts';
import type { SettlementNotice } from './settlement-page.tsx';
import { formValues } from '#shared/web/forms.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { districtParams, settlementParams, visibleSettlementOf } from '../app.tsx';

const READERS: readonly Role[] = ['finance', 'admin'];
const OFFICERS: readonly Role[] = ['finance'];
const TEAM_LINES_PER_PAGE = 50;

export function registerSettlementPages(app: OpenAPIHono<ApiEnv>, deps: Deps, jobs: SettlementJobRunner): void {
  const { db } = deps;
  const visibleSettlement = (principal: Principal, settlementId: string) => visibleSettlementOf(db, principal, settlementId);

  const pageQuery = z.object({ lang: z.string().max(8).optional() });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/districts/{districtId}/settlements',
      tags: ['finance pages'],
      summary: "Page: the district's settlements",
      ...pageAccess(deps, READERS),
      request: { params: districtParams, query: pageQuery.extend({ cursor: z.string().max(2048).optional() }) },
      responses: { 200: htmlResponse('The list'), 401: htmlResponse('Not signed in'), 403: htmlResponse('Another district') },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { cursor } = c.req.valid('query');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      const page = await listSettlements(db, districtId, 50, cursor);
      const { SettlementListPage } = await import('./list-page.tsx');
      return c.html(
        <SettlementListPage
          lang={pageLang(c)}
          shell={await shellOf(c, db, pageLang(c), 'settlements')}
          districtId={districtId}
          settlements={page.items}
          nextCursor={page.nextCursor}
          canCreate={principal.role === 'finance'}
          year={(page.items[0]?.period ?? deps.now().toISOString()).slice(0, 4)}
        />,
        200,
      );
    },
  );

  /** A done preview job of the district (the form shows its result); null for anything else. */
  async function previewOfJob(districtId: string, jobId: string | undefined): Promise<SettlementPreview | null> {
    if (!jobId || !/^[A-Za-z0-9-]{1,64}$/.test(jobId)) return null;
    const job = await getSettlementJob(db, jobId);
    if (job?.kind !== 'preview' || job.districtId !== districtId || job.status !== 'done') return null;
    return getSettlementJobResult<SettlementPreview>(db, jobId);
  }

  async function renderNewPage(c: Context<ApiEnv>, districtId: string, lang: Lang, values: Record<string, string>, mode: 'form' | 'preview' | 'create') {
    const [settings, runsPage, settlementsPage] = await Promise.all([
      effectiveFinanceSettings(deps, districtId),
      listRuns(db, districtId, 50),
      listSettlements(db, districtId, 50),
    ]);
    // only the official run of a final (or settled) period is settled (shared/domain/period-lifecycle.ts)
    const ended = runsPage.items.filter((r: EvaluationRun) => r.status === 'completed' && hasPeriodEnded(r.period, deps.now()));
    const periods = new Map(await Promise.all([...new Set(ended.map((r) => r.period))].map(async (p) => [p, await readPeriod(deps, districtId, p)] as const)));
    const runs = ended.filter((r) => {
      const period = periods.get(r.period);
      return period?.officialRunId === r.evaluationId && (period.state === 'final' || period.state === 'settled');
    });
    const form = formFrom(values, { roleShares: settings.roleShares, keyPopulationWeight: settings.residentWeights.keyPopulation });
    if (!form.evaluationId && runs[0]) form.evaluationId = runs[0].evaluationId;
    const { NewSettlementPage } = await import('./new-settlement-page.tsx');
    const shell = await shellOf(c, db, lang, 'settlements');
    const corrigible = settlementsPage.items.filter((s) => s.status !== 'draft');
    const page = (
      props: { errors?: ReturnType<typeof requestFromForm>['errors']; problem?: string; preview?: SettlementPreview },
      status: 200 | 400 | 409 | 422,
    ) =>
      c.html(
        <NewSettlementPage
          lang={lang}
          shell={shell}
          districtId={districtId}
          runs={runs}
          corrigible={corrigible}
          form={form}
          errors={props.errors ?? {}}
          {...(props.problem ? { problem: props.problem } : {})}
          {...(props.preview ? { preview: props.preview } : {})}
        />,
        status,
      );
    if (mode === 'form') {
      const preview = await previewOfJob(districtId, values.previewJob);
      return page(preview ? { preview } : {}, 200);
    }
    const { request, errors } = requestFromForm(form);
    if (!request) return page({ errors }, 400);
    try {
      const { job } = await requestSettlementJob(deps, jobs, { kind: mode, districtId, by: c.get('principal').subject, request });
      // a preview comes back to this form (its fields in `back`); a creation goes on to the settlement
      const back = mode === 'preview' ? `&back=${encodeURIComponent(new URLSearchParams(values).toString())}` : '';
      return c.redirect(`/finance/settlement-jobs/${job.jobId}?lang=${lang}${back}`, 303);
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'rule' || error.kind === 'invalid' || error.kind === 'conflict')) {
        return page(
          { problem: (await messageOnDemand(error.code, lang, error.details)) ?? error.message },
          error.kind === 'rule' ? 422 : error.kind === 'conflict' ? 409 : 400,
        );
      }
      throw error;
    }
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/districts/{districtId}/settlements/new',
      tags: ['finance pages'],
      summary: 'Page: the new-settlement form; with parameters (and preview=1), a preview computed without storing',
      description:
        'Query fields: evaluationId, pool (yuan), method (score-weighted | value-per-point | grade-tiers), ' +
        'sizeMeasure, scoreFloor, teamCap (yuan), perPoint (yuan), tiers ("score=yuan" per line), keyPopulationWeight, share.{role}, correctionOf, note, lang.',
      ...pageAccess(deps, OFFICERS),
      request: { params: districtParams },
      responses: {
        200: htmlResponse('The form (and preview)'),
        400: htmlResponse('The form with what to correct'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district'),
      },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      const values = c.req.query();
      return renderNewPage(c, districtId, formLang(c, values), values, values.preview ? 'preview' : 'form');
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/finance/districts/{districtId}/settlements',
      tags: ['finance pages'],
      summary: 'Page form: create a draft from the new-settlement form (application/x-www-form-urlencoded, the same fields), then show it',
      ...pageAccess(deps, OFFICERS),
      request: { params: districtParams },
      responses: {
        303: redirectResponse('Created: to the settlement page'),
        400: htmlResponse('The form with what to correct'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Another district, or a cross-site form'),
        422: htmlResponse('The evaluation or correction does not fit'),
      },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      const values = await formValues(c);
      return renderNewPage(c, districtId, formLang(c, values), values, 'create');
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/settlements/{settlementId}',
      tags: ['finance pages'],
      summary: 'Page: a settlement with totals, charts, team lines with explanations and member splits, the subsidy statement and the audit log',
      ...pageAccess(deps, READERS),
      request: {
        params: settlementParams,
        query: pageQuery.extend({ cursor: z.string().max(2048).optional(), done: z.enum(['created', 'approved', 'closed']).optional() }),
      },
      responses: { 200: htmlResponse('The settlement'), 401: htmlResponse('Not signed in'), 404: htmlResponse('No such settlement in your district') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { cursor, done } = c.req.valid('query');
      let settlement = await visibleSettlement(principal, c.req.valid('param').settlementId);
      const page = await settlementLinesPage(deps, settlement, 'team', TEAM_LINES_PER_PAGE, cursor);
      if (page.computationId !== settlement.computationId) settlement = await visibleSettlement(principal, settlement.settlementId);
      const teamLines = page.items as TeamLine[];
      const first = teamLines[0];
      const last = teamLines[teamLines.length - 1];
      const [memberLines, institutionLines, audit, comparison, run] = await Promise.all([
        first && last ? memberLinesOfTeams(db, page.computationId, first, last) : Promise.resolve([]),
        (async () => {
          const lines: InstitutionLine[] = [];
          for await (const line of allLines<InstitutionLine>(db, page.computationId, 'institution')) lines.push(line);
          return lines;
        })(),
        listAudit(db, settlement.settlementId),
        import('#shared/services/settlement-year.ts').then(({ settlementComparison }) => settlementComparison(deps, settlement)),
        getRun(db, settlement.evaluationId),
      ]);
      const { SettlementPage } = await import('./settlement-page.tsx');
      return c.html(
        <SettlementPage
          lang={pageLang(c)}
          shell={await shellOf(c, db, pageLang(c), 'settlements')}
          settlement={settlement}
          teamLines={teamLines}
          memberLines={memberLines}
          institutionLines={institutionLines}
          audit={audit}
          {...(cursor ? { cursor } : {})}
          nextCursor={page.nextCursor}
          viewer={principal}
          {...(done ? { notice: done as SettlementNotice } : {})}
          comparison={comparison}
          run={run}
        />,
        200,
      );
    },
  );

  for (const action of ['approve', 'close'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/finance/settlements/{settlementId}/${action}`,
        tags: ['finance pages'],
        summary:
          action === 'approve'
            ? 'Page form: confirm the approval (fields: comment, computationId — the computation shown —, lang), then show the settlement'
            : 'Page form: close an approved settlement (field: lang), then show it',
        ...pageAccess(deps, OFFICERS),
        request: { params: settlementParams },
        responses: {
          303: redirectResponse('Done: back to the settlement page'),
          401: htmlResponse('Not signed in'),
          ...(action === 'approve' ? { 400: htmlResponse('No comment') } : {}),
          403: htmlResponse(action === 'approve' ? 'You took part in it (four-eyes), or a cross-site form' : 'A cross-site form'),
          404: htmlResponse('No such settlement in your district'),
          409: htmlResponse('Not in a state that allows it, or recomputed meanwhile'),
        },
      }),
      async (c) => {
        const principal = c.get('principal');
        const settlement = await visibleSettlement(principal, c.req.valid('param').settlementId);
        const values = await formValues(c);
        const lang = formLang(c, values);
        if (action === 'approve') {
          await approveSettlement(deps, {
            settlement,
            by: principal.subject,
            comment: values.comment ?? '',
            ...(values.computationId ? { computationId: values.computationId } : {}),
          });
        } else {
          await closeSettlement(deps, { settlement, by: principal.subject });
        }
        return c.redirect(`/finance/settlements/${settlement.settlementId}?lang=${lang}&done=${action === 'approve' ? 'approved' : 'closed'}`, 303);
      },
    );
  }
}
