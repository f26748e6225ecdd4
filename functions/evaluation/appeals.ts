/**
 * Appeals against a period's published results (use cases: shared/services/appeals.ts).
 *
 * GET  /districts/{districtId}/periods/{period}/appeals  admin, evaluator, finance, clerk (their institution's)
 * POST /districts/{districtId}/periods/{period}/appeals  clerk: during the review window (409 appeal-window-closed after)
 * POST /appeals/{appealId}/decision                      admin, evaluator: accept (new metric version, correction run) or reject, with a reason
 * Attachments are files: the reports function serves them (functions/reports/appeal-attachment-routes.ts).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import { assertDistrictInPath } from '#shared/http/scope.ts';
import { conflictResponse, errorResponses, idSchema, jsonBody, jsonResponse, unprocessableResponse } from '#shared/schemas/common.ts';
import { appealDecisionSchema, appealSchema, newAppealSchema } from '#shared/schemas/periods.ts';
import { decideAppeal, fileAppealAsClerk, listAppeals } from '#shared/services/appeals.ts';
import { districtPeriodParams, requirePeriodParam } from './periods.ts';

export function registerAppealRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/periods/{period}/appeals',
      tags: ['periods'],
      summary: "A period's appeals with their decisions and, once corrected, the teams whose results changed (a clerk sees their institution's)",
      ...access(deps, ['admin', 'evaluator', 'finance', 'clerk']),
      request: { params: districtPeriodParams },
      responses: { 200: jsonResponse(z.object({ items: z.array(appealSchema) }), 'The appeals, oldest first'), ...errorResponses },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      requirePeriodParam(period);
      return c.json({ items: await listAppeals(deps, districtId, period, principal) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/periods/{period}/appeals',
      tags: ['periods'],
      summary: "File an appeal on an indicator of one of your institution's teams during the review window",
      ...access(deps, ['clerk']),
      request: { params: districtPeriodParams, body: jsonBody(newAppealSchema) },
      responses: { 201: jsonResponse(appealSchema, 'Filed'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      requirePeriodParam(period);
      return c.json(await fileAppealAsClerk(deps, { districtId, period, caller: principal, appeal: c.req.valid('json') }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/appeals/{appealId}/decision',
      tags: ['periods'],
      summary: 'Accept (the value becomes a new metric version and a correction run starts) or reject an appeal, with a reason',
      ...access(deps, ['admin', 'evaluator']),
      request: { params: z.object({ appealId: idSchema }), body: jsonBody(appealDecisionSchema) },
      responses: { 200: jsonResponse(appealSchema, 'Decided'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { appealId } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(await decideAppeal(deps, { appealId, caller: c.get('principal'), decision: body.decision, reason: body.reason, value: body.value }), 200);
    },
  );
}
