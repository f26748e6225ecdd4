/**
 * Settlement jobs (shared/services/settlements-jobs.ts): previews, creations and recomputes are
 * computed off the request path; their routes answer 202 with the job (./app.tsx), and these poll it.
 *
 * GET /settlement-jobs/{jobId}            finance, admin: status, progress (done / total, percent), the
 *                                         settlement or the preview when done, the problem when failed
 * GET /finance/settlement-jobs/{jobId}    page (./pages/settlement-job-routes.tsx): progress, refreshing itself until done, then 303 to the
 *                                         settlement (or the new-settlement form with the preview)
 * A job of another district answers 404, as if absent.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { getSettlementJob, getSettlementJobResult, type SettlementJob } from '#shared/data/settlement-jobs.ts';
import type { Deps } from '#shared/deps.ts';
import { messageOnDemand } from '#shared/domain/messages/on-demand.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import { readerLang } from '#shared/http/lang.ts';
import type { Principal, Role } from '#shared/http/principal.ts';
import { canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { errorResponses, jsonResponse } from '#shared/schemas/common.ts';
import { previewSchema } from '#shared/schemas/settlements.ts';
import * as z from '#shared/schemas/zod.ts';
import { type SettlementPreview, settlementJobView } from '#shared/services/settlements-jobs.ts';

const READERS: readonly Role[] = ['finance', 'admin'];

export const settlementJobSchema = z
  .object({
    jobId: z.string(),
    kind: z.enum(['preview', 'create', 'recompute']),
    districtId: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.object({
      phase: z.enum(['queued', 'facts', 'compute', 'lines', 'done']),
      done: z.number().int(),
      total: z.number().int(),
      percent: z.number().int().min(0).max(100),
    }),
    settlementId: z.string().nullable().openapi({ description: 'create (once done) and recompute: the settlement' }),
    problem: z
      .object({ status: z.number().int(), code: z.string(), detail: z.string(), details: z.record(z.string(), z.unknown()) })
      .nullable()
      .openapi({ description: 'failed: what a synchronous request would have answered (status and problem code)' }),
    createdBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    preview: previewSchema.optional().openapi({ description: 'a done preview: its result' }),
  })
  .openapi('SettlementJob');

/** The 202 of the routes that start a job. */
export const jobAccepted = {
  description: 'Accepted: a job computes it; poll the Location (GET /settlement-jobs/{jobId}). A repeat with the same Idempotency-Key gets the same job.',
  headers: { location: { schema: { type: 'string' as const } } },
  content: { 'application/json': { schema: settlementJobSchema } },
};

export const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

export const jobParams = z.object({ jobId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });

export async function visibleJob(db: Deps['db'], principal: Principal, jobId: string): Promise<SettlementJob> {
  return visibleOr404(await getSettlementJob(db, jobId), (job) => canSeeDistrict(principal, job.districtId), `Settlement job ${jobId}`);
}

export function registerSettlementJobRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps) {
  const { db } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/settlement-jobs/{jobId}',
      tags: ['finance'],
      summary: 'A settlement job: status, progress, and when done the settlement or the preview',
      ...access(deps, READERS),
      request: { params: jobParams },
      responses: { 200: jsonResponse(settlementJobSchema, 'The job'), ...errorResponses },
    }),
    async (c) => {
      const job = await visibleJob(db, c.get('principal'), c.req.valid('param').jobId);
      const view = settlementJobView(job, deps.now());
      // a failed job's detail in the reader's language, as the synchronous request's problem would have been
      if (view.problem) view.problem.detail = (await messageOnDemand(view.problem.code, readerLang(c), view.problem.details)) ?? view.problem.detail;
      const preview = job.kind === 'preview' && view.status === 'done' ? await getSettlementJobResult<SettlementPreview>(db, job.jobId) : null;
      return c.json({ ...view, ...(preview ? { preview } : {}) }, 200, { 'cache-control': 'no-store' });
    },
  );
}
