/**
 * Finance function (finance officers of a district; administrators read): incentive payouts and
 * subsidy settlements for a completed evaluation run, their four-eyes approval, and the pages.
 * Evaluators do not see settlements: they see the scores that lead to them, not the money.
 *
 * GET  /districts/{districtId}/finance-settings             finance, admin: default role shares and resident weights
 * PUT  /districts/{districtId}/finance-settings             finance
 * POST /districts/{districtId}/settlements/preview          finance: compute without storing (202: a job)
 * POST /districts/{districtId}/settlements                  finance: create a draft (or a correction) (202: a job)
 * GET  /districts/{districtId}/settlements                  finance, admin: list, newest first
 * GET  /settlements/{settlementId}                          finance, admin
 * GET  /settlements/{settlementId}/lines?kind=team|member|institution   finance, admin: paged
 * GET  /settlements/{settlementId}/audit                    finance, admin
 * POST /settlements/{settlementId}/recompute                finance: drafts only (202: a job)
 * The three are computed off the request path: the route checks what it can, stores a job and answers
 * 202 with its Location; GET /settlement-jobs/{jobId} and its page follow it (./job-routes.tsx).
 * An Idempotency-Key header makes a repeat return the same job.
 * POST /settlements/{settlementId}/approve                  finance: a second officer who took no part in it, with a comment
 * POST /settlements/{settlementId}/close                    finance: approved → closed
 * Payees (GET|PUT /institutions/{institutionId}/payee, approve, audit; GET /districts/{districtId}/payees): ./payee-routes.ts
 * The year (GET /districts/{districtId}/settlements/year/{year}) and GET /settlements/{settlementId}/comparison: ./year-routes.ts
 * Their pages (payees with the propose / approve forms, the year, the comparison): ./finance-pages-routes.tsx
 *
 * Pages (HTML, zh-CN by default, ?lang=en; sign-in by the gk_token cookie or a bearer token):
 * GET  /finance/districts/{districtId}/settlements          finance, admin: the list
 * GET  /finance/districts/{districtId}/settlements/new      finance: the form; with preview=1, a preview job → its page;
 *                                                           with previewJob, the form with that job's preview
 * POST /finance/districts/{districtId}/settlements          finance: create from the form → the job's page → the settlement page
 * GET  /finance/settlements/{settlementId}                  finance, admin: totals, charts, lines, statement, audit
 * POST /finance/settlements/{settlementId}/approve          finance: the approve button
 * POST /finance/settlements/{settlementId}/close            finance: the close button
 *
 * Reports (XLSX / CSV downloads, background report jobs and their pages): functions/reports/ (a function of its own: exceljs and the S3 client stay out of this
 * bundle).
 *
 * A settlement of another district answers 404, as if absent. Status codes of the actions:
 * 403 `four-eyes` (approving your own), 409 wrong state / recomputed meanwhile / period already
 * settled, 422 the evaluation or the corrected settlement does not fit (see shared/services/settlements.ts).
 */
import { createFinanceHomePages } from './pages/home-routes.tsx';
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Context } from 'hono';
import { DomainError } from '#shared/domain/errors.ts';
import { messageOnDemand } from '#shared/domain/messages/on-demand.ts';
import { readPeriod } from '#shared/services/periods.ts';
import { hasPeriodEnded } from '#shared/domain/period-close.ts';
import { type EvaluationRun, getRun, listRuns } from '#shared/data/evaluations.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { allLines, getSettlement, listAudit, listSettlements, memberLinesOfTeams, putFinanceSettings, type Settlement } from '#shared/data/settlements.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv, createApiApp } from '#shared/http/api.ts';
import type { Principal, Role } from '#shared/http/principal.ts';
import { assertDistrictInPath, canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { conflictResponse, errorResponses, idSchema, jsonBody, jsonResponse, pageOf, unprocessableResponse } from '#shared/schemas/common.ts';
import {
  approveSettlementSchema,
  auditEntrySchema,
  createSettlementSchema,
  financeSettingsInputSchema,
  financeSettingsSchema,
  linesPageSchema,
  linesQuerySchema,
  recomputeSettlementSchema,
  settlementListQuerySchema,
  settlementSchema,
} from '#shared/schemas/settlements.ts';
import { approveSettlement, closeSettlement, effectiveFinanceSettings, financeSettingsFrom, settlementLinesPage } from '#shared/services/settlements.ts';
import { requestSettlementJob, type SettlementPreview, settlementJobView } from '#shared/services/settlements-jobs.ts';
import type { SettlementJobRunner } from '#shared/services/settlements-job-event.ts';
import { getSettlementJob, getSettlementJobResult } from '#shared/data/settlement-jobs.ts';
import type { InstitutionLine, TeamLine } from '#shared/domain/settlements/compute.ts';
import { formLang, type Lang, pageLang } from '#shared/web/lang.ts';
import { formFrom, requestFromForm } from './pages/settlement-form.ts';
import type { SettlementNotice } from './pages/settlement-page.tsx';
import { formValues } from '#shared/web/forms.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { registerPayeeRoutes } from './payee-routes.ts';
import { registerYearRoutes } from './year-routes.ts';
import { registerFinancePages } from './finance-pages-routes.tsx';
import { idempotencyHeaders, jobAccepted, registerSettlementJobRoutes } from './job-routes.tsx';

const READERS: readonly Role[] = ['finance', 'admin'];
const OFFICERS: readonly Role[] = ['finance'];
const TEAM_LINES_PER_PAGE = 50;

export interface FinanceOptions {
  /** where settlement jobs run: deployed, the function itself (functions/finance/lambda.ts); by default a worker thread of this process */
  settlementJobs?: SettlementJobRunner;
}

/** The local runner, loaded on first use: a deployed function never loads it. */
function localJobRunner(deps: Deps): SettlementJobRunner {
  let runner: Promise<SettlementJobRunner> | undefined;
  return {
    async start(jobId) {
      runner ??= import('#shared/services/settlements-job-local.ts').then((m) => m.workerSettlementRunner(deps));
      return (await runner).start(jobId);
    },
  };
}

export function createFinanceApp(deps: Deps, options: FinanceOptions = {}) {
  const app = createApiApp();
  const { db } = deps;
  const jobs = options.settlementJobs ?? localJobRunner(deps);
  const districtParams = z.object({ districtId: idSchema });
  // Looked up, never parsed: any id that is not a stored settlement of the caller's district is 404.
  const settlementParams = z.object({
    settlementId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/)
      .openapi({ example: 'stl-4k9d0c2m7q1x8z3b' }),
  });

  async function visibleSettlement(principal: Principal, settlementId: string): Promise<Settlement> {
    return visibleOr404(await getSettlement(db, settlementId), (s) => canSeeDistrict(principal, s.districtId), `Settlement ${settlementId}`);
  }

  // -------------------------------------------------------------------------------------------
  // Finance settings

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/finance-settings',
      tags: ['finance'],
      summary: "The district's default role shares (for splitting a team's incentive) and key-population weights",
      ...access(deps, READERS),
      request: { params: districtParams },
      responses: { 200: jsonResponse(financeSettingsSchema, 'The settings (platform defaults until stored)'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      return c.json(await effectiveFinanceSettings(deps, districtId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/districts/{districtId}/finance-settings',
      tags: ['finance'],
      summary: "Set the district's default role shares and key-population weights (new settlements use them)",
      ...access(deps, OFFICERS),
      request: { params: districtParams, body: jsonBody(financeSettingsInputSchema) },
      responses: { 200: jsonResponse(financeSettingsSchema, 'Stored'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      await requireDistrict(db, districtId);
      const stored = await putFinanceSettings(db, financeSettingsFrom(districtId, c.req.valid('json'), principal.subject, deps.now().toISOString()));
      return c.json({ ...stored, stored: true }, 200);
    },
  );

  // -------------------------------------------------------------------------------------------
  // Settlements (JSON)

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/settlements/preview',
      tags: ['finance'],
      summary: 'Compute a settlement without storing it: totals, histogram, per institution, best-paid teams',
      ...access(deps, OFFICERS),
      request: { params: districtParams, headers: idempotencyHeaders, body: jsonBody(createSettlementSchema) },
      responses: { 202: jobAccepted, ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      const key = c.req.valid('header')['idempotency-key'];
      const { job } = await requestSettlementJob(deps, jobs, {
        kind: 'preview',
        districtId,
        by: principal.subject,
        request: c.req.valid('json'),
        ...(key ? { idempotencyKey: key } : {}),
      });
      return c.json(settlementJobView(job, deps.now()), 202, { location: `/settlement-jobs/${job.jobId}` });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/settlements',
      tags: ['finance'],
      summary: 'Create a draft settlement for a completed evaluation: incentives by the chosen method, member splits, subsidy per institution',
      ...access(deps, OFFICERS),
      request: { params: districtParams, headers: idempotencyHeaders, body: jsonBody(createSettlementSchema) },
      responses: { 202: jobAccepted, ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      const key = c.req.valid('header')['idempotency-key'];
      const { job } = await requestSettlementJob(deps, jobs, {
        kind: 'create',
        districtId,
        by: principal.subject,
        request: c.req.valid('json'),
        ...(key ? { idempotencyKey: key } : {}),
      });
      return c.json(settlementJobView(job, deps.now()), 202, { location: `/settlement-jobs/${job.jobId}` });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/settlements',
      tags: ['finance'],
      summary: "A district's settlements, newest first",
      ...access(deps, READERS),
      request: { params: districtParams, query: settlementListQuerySchema },
      responses: { 200: jsonResponse(pageOf(settlementSchema), 'A page of settlements'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      return c.json(await listSettlements(db, districtId, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/settlements/{settlementId}',
      tags: ['finance'],
      summary: 'One settlement: parameters, totals, status, fingerprint, who created / approved it',
      ...access(deps, READERS),
      request: { params: settlementParams },
      responses: { 200: jsonResponse(settlementSchema, 'The settlement'), ...errorResponses },
    }),
    async (c) => c.json(await visibleSettlement(c.get('principal'), c.req.valid('param').settlementId), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/settlements/{settlementId}/lines',
      tags: ['finance'],
      summary: 'Lines of a kind, in institution / team order, paged; corrections carry previousAmount and difference',
      ...access(deps, READERS),
      request: { params: settlementParams, query: linesQuerySchema },
      responses: { 200: jsonResponse(linesPageSchema, 'A page of lines'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const settlement = await visibleSettlement(c.get('principal'), c.req.valid('param').settlementId);
      const { kind, limit, cursor } = c.req.valid('query');
      const page = await settlementLinesPage(deps, settlement, kind, limit, cursor);
      return c.json({ settlementId: settlement.settlementId, kind, ...page }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/settlements/{settlementId}/audit',
      tags: ['finance'],
      summary: 'Who created, recomputed, approved and closed the settlement, and when',
      ...access(deps, READERS),
      request: { params: settlementParams },
      responses: { 200: jsonResponse(z.object({ items: z.array(auditEntrySchema) }), 'The audit log, oldest first'), ...errorResponses },
    }),
    async (c) => {
      const settlement = await visibleSettlement(c.get('principal'), c.req.valid('param').settlementId);
      return c.json({ items: await listAudit(db, settlement.settlementId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/settlements/{settlementId}/recompute',
      tags: ['finance'],
      summary: 'Recompute a draft with changed parameters; its lines are replaced at once',
      ...access(deps, OFFICERS),
      request: { params: settlementParams, headers: idempotencyHeaders, body: jsonBody(recomputeSettlementSchema) },
      responses: { 202: jobAccepted, ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const principal = c.get('principal');
      const settlement = await visibleSettlement(principal, c.req.valid('param').settlementId);
      const key = c.req.valid('header')['idempotency-key'];
      const { job } = await requestSettlementJob(deps, jobs, {
        kind: 'recompute',
        settlement,
        by: principal.subject,
        request: c.req.valid('json'),
        ...(key ? { idempotencyKey: key } : {}),
      });
      return c.json(settlementJobView(job, deps.now()), 202, { location: `/settlement-jobs/${job.jobId}` });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/settlements/{settlementId}/approve',
      tags: ['finance'],
      summary: "Approve a draft (a second officer of the district); closes the period's metric uploads in the same transaction",
      ...access(deps, OFFICERS),
      request: { params: settlementParams, body: jsonBody(approveSettlementSchema) },
      responses: {
        200: jsonResponse(settlementSchema, 'Approved'),
        ...errorResponses,
        403: {
          description: 'Not a finance officer of the district, or `approver-took-part`: you created, recomputed or set parameters of it',
          content: errorResponses[403].content,
        },
        ...conflictResponse,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const settlement = await visibleSettlement(principal, c.req.valid('param').settlementId);
      const { computationId, comment } = c.req.valid('json');
      return c.json(await approveSettlement(deps, { settlement, by: principal.subject, comment, ...(computationId ? { computationId } : {}) }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/settlements/{settlementId}/close',
      tags: ['finance'],
      summary: 'Close an approved settlement (paid out); nothing about it changes afterwards',
      ...access(deps, OFFICERS),
      request: { params: settlementParams },
      responses: { 200: jsonResponse(settlementSchema, 'Closed'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const principal = c.get('principal');
      const settlement = await visibleSettlement(principal, c.req.valid('param').settlementId);
      return c.json(await closeSettlement(deps, { settlement, by: principal.subject }), 200);
    },
  );

  registerPayeeRoutes(app, deps);
  registerYearRoutes(app, deps);
  registerFinancePages(app, deps);
  registerSettlementJobRoutes(app, deps);

  // -------------------------------------------------------------------------------------------
  // Pages

  app.route('/', createFinanceHomePages(deps));

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
      const { SettlementListPage } = await import('./pages/list-page.tsx');
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
    const { NewSettlementPage } = await import('./pages/new-settlement-page.tsx');
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
      const { SettlementPage } = await import('./pages/settlement-page.tsx');
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

  return app;
}
