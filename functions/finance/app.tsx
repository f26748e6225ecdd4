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
 * Pages (HTML, zh-CN by default, ?lang=en; sign-in by the gk_token cookie or a bearer token), all
 * under FINANCE_PAGE_PREFIXES (functions/page-prefixes.ts) and registered by ./pages/routes.tsx (the catalog's app adds them to
 * this one; the deployed function loads them with the first request under that prefix, ./lambda.ts):
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
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { getSettlement, listAudit, listSettlements, putFinanceSettings, type Settlement } from '#shared/data/settlements.ts';
import type { Deps } from '#shared/deps.ts';
import { access, createApiApp } from '#shared/http/api.ts';
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
import { requestSettlementJob, settlementJobView } from '#shared/services/settlements-jobs.ts';
import { type FinanceOptions, settlementJobRunner } from './job-runner.ts';
import { registerPayeeRoutes } from './payee-routes.ts';
import { registerYearRoutes } from './year-routes.ts';
import { idempotencyHeaders, jobAccepted, registerSettlementJobRoutes } from './job-routes.tsx';

const READERS: readonly Role[] = ['finance', 'admin'];
const OFFICERS: readonly Role[] = ['finance'];

export const districtParams = z.object({ districtId: idSchema });
// Looked up, never parsed: any id that is not a stored settlement of the caller's district is 404.
export const settlementParams = z.object({
  settlementId: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .openapi({ example: 'stl-4k9d0c2m7q1x8z3b' }),
});

export async function visibleSettlementOf(db: Deps['db'], principal: Principal, settlementId: string): Promise<Settlement> {
  return visibleOr404(await getSettlement(db, settlementId), (s) => canSeeDistrict(principal, s.districtId), `Settlement ${settlementId}`);
}

export function createFinanceApp(deps: Deps, options: FinanceOptions = {}) {
  const app = createApiApp();
  const { db } = deps;
  const jobs = settlementJobRunner(deps, options);
  const visibleSettlement = (principal: Principal, settlementId: string) => visibleSettlementOf(db, principal, settlementId);

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
  registerSettlementJobRoutes(app, deps);

  return app;
}
