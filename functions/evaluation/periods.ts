/**
 * A district period's lifecycle over the API (rules: shared/domain/period-lifecycle.ts; use
 * cases: shared/services/periods.ts).
 *
 * GET  /districts/{districtId}/periods/{period}          admin, evaluator, finance, clerk: state, deadlines, transitions, completeness
 * POST /districts/{districtId}/periods/{period}/publish  admin, evaluator: evaluated → published, opens the review window
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { parsePeriod } from '#shared/domain/periods.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import { problems } from '#shared/http/problem.ts';
import { assertDistrictInPath } from '#shared/http/scope.ts';
import { conflictResponse, errorResponses, idSchema, jsonResponse } from '#shared/schemas/common.ts';
import { periodParamSchema } from '#shared/schemas/metrics.ts';
import { periodViewSchema } from '#shared/schemas/periods.ts';
import { periodCompleteness, publishPeriod, readPeriod } from '#shared/services/periods.ts';

export const districtPeriodParams = z.object({ districtId: idSchema, period: periodParamSchema });

export function requirePeriodParam(period: string): string {
  if (!parsePeriod(period)) throw problems.validation([{ field: 'path.period', message: 'Use a year (2026) or a quarter (2026Q3)' }]);
  return period;
}

export function registerPeriodRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/periods/{period}',
      tags: ['periods'],
      summary: 'The period: state, data deadline, review window, official runs, transitions (who, when, why) and, per institution, what data is in',
      ...access(deps, ['admin', 'evaluator', 'finance', 'clerk']),
      request: { params: districtPeriodParams },
      responses: { 200: jsonResponse(periodViewSchema, 'The period'), ...errorResponses },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      requirePeriodParam(period);
      const view = await readPeriod(deps, districtId, period);
      const completeness = (await periodCompleteness(deps, districtId, period)).filter(
        (entry) => principal.role !== 'clerk' || entry.institutionId === principal.institutionId,
      );
      return c.json({ ...view, completeness }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/periods/{period}/publish',
      tags: ['periods'],
      summary:
        "Publish the official results for review (evaluated → published): clerks see their teams' scorecards, " +
        "the public page shows totals, appeals open for the district's review window",
      ...access(deps, ['admin', 'evaluator']),
      request: { params: districtPeriodParams },
      responses: { 200: jsonResponse(periodViewSchema.omit({ completeness: true }), 'Published'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      requirePeriodParam(period);
      return c.json(await publishPeriod(deps, { districtId, period, by: principal.subject }), 200);
    },
  );
}
