/**
 * Evaluation function (district evaluators): criteria sets and evaluation runs.
 *
 * POST /districts/{districtId}/criteria                          evaluator, admin: a new draft
 * GET  /districts/{districtId}/criteria                          evaluator, finance, admin
 * GET  /districts/{districtId}/criteria/{version}                evaluator, finance, admin
 * PUT  /districts/{districtId}/criteria/{version}                evaluator, admin: save a draft (optimistic locking)
 * POST /districts/{districtId}/criteria/{version}/publish         evaluator, admin: freeze it for good
 * POST /districts/{districtId}/criteria/{version}/preview        evaluator, admin: score a period without storing
 * POST /districts/{districtId}/evaluations                       evaluator, admin: start a run (202)
 * GET  /districts/{districtId}/evaluations                       evaluator, finance, admin
 * GET  /evaluations/{evaluationId}                               evaluator, finance, admin: status and progress
 * GET  /evaluations/{evaluationId}/scores                        evaluator, finance, admin: the team results, paged
 * GET  /evaluations/{evaluationId}/teams/{teamId}                evaluator, finance, admin, the team's institution clerk (published results only)
 * GET  /districts/{districtId}/periods/{period}, POST .../publish: see ./periods.ts
 * GET|POST /districts/{districtId}/periods/{period}/appeals, POST /appeals/{appealId}/decision: see ./appeals.ts
 * GET  /public/districts/{districtId}/results/{period}          public: the published results page, see ./public-results.tsx
 *
 * Pages (HTML, zh-CN by default, ?lang=en; sign-in by the gk_token cookie or a bearer token): see
 * functions/evaluation/pages/register.tsx. They call the same repository and service functions.
 * They and the public results page are registered by ./pages/routes.ts, under EVALUATION_PAGE_PREFIXES
 * (functions/page-prefixes.ts):
 * the catalog's app adds them to this one, the deployed function loads them with the first request
 * under those prefixes (./lambda.ts).
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { ZodError } from 'zod';
import { listCriteria, requireCriteria } from '#shared/data/criteria.ts';
import { getRun, getScore, listRuns, listScores } from '#shared/data/evaluations.ts';
import type { Deps } from '#shared/deps.ts';
import { access, createApiApp } from '#shared/http/api.ts';
import { zodFieldErrors } from '#shared/domain/field-errors.ts';
import { problems } from '#shared/http/problem.ts';
import { assertDistrictInPath, canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { conflictResponse, errorResponses, idSchema, jsonBody, jsonResponse, pageOf, pageQuerySchema, unprocessableResponse } from '#shared/schemas/common.ts';
import {
  createCriteriaSchema,
  criteriaVersionSchema,
  evaluationRunSchema,
  previewRequestSchema,
  previewSchema,
  publishCriteriaSchema,
  saveCriteriaSchema,
  scorecardSchema,
  startEvaluationSchema,
} from '#shared/schemas/evaluation.ts';
import {
  CRITERIA_INVALID,
  createCriteriaVersion,
  previewCriteriaVersion,
  publishCriteriaVersion,
  saveCriteriaVersion,
  startEvaluationRun,
} from '#shared/services/evaluation/criteria-edits.ts';
import { isPublishedRun } from '#shared/services/periods.ts';
import { notFound } from '#shared/domain/errors.ts';
import { registerAppealRoutes } from './appeals.ts';
import { registerPeriodRoutes } from './periods.ts';

const STAFF = ['admin', 'evaluator', 'finance'] as const;
const EDITORS = ['admin', 'evaluator'] as const;

/** Criteria documents that fail their schema answer 422 with each problem's path, like semantic problems. */
function criteriaHook(result: { target: string } & ({ success: true } | { success: false; error: ZodError })): undefined {
  if (!result.success) {
    const errors = zodFieldErrors(result.error, result.target === 'json' ? 'body' : result.target, (result as { data?: unknown }).data);
    if (errors.every((e) => e.field.startsWith('body.document'))) throw problems.unprocessable(CRITERIA_INVALID, errors, { code: 'criteria-document-invalid' });
    throw problems.validation(errors);
  }
  return undefined;
}

export function createEvaluationApp(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;
  const districtParams = z.object({ districtId: idSchema });
  const versionParams = z.object({ districtId: idSchema, version: z.coerce.number().int().min(1) });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/criteria',
      tags: ['criteria'],
      summary: 'Create a new draft criteria version',
      ...access(deps, EDITORS),
      request: { params: districtParams, body: jsonBody(createCriteriaSchema) },
      responses: { 201: jsonResponse(criteriaVersionSchema, 'The draft'), ...errorResponses, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      const draft = await createCriteriaVersion(deps, districtId, principal.subject, c.req.valid('json'));
      return c.json(draft, 201);
    },
    criteriaHook,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/criteria',
      tags: ['criteria'],
      summary: 'Criteria versions, newest first',
      ...access(deps, STAFF),
      request: { params: districtParams, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(criteriaVersionSchema), 'A page of versions'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      return c.json(await listCriteria(db, districtId, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/criteria/{version}',
      tags: ['criteria'],
      summary: 'One criteria version',
      ...access(deps, STAFF),
      request: { params: versionParams },
      responses: { 200: jsonResponse(criteriaVersionSchema, 'The version'), ...errorResponses },
    }),
    async (c) => {
      const { districtId, version } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      return c.json(await requireCriteria(db, districtId, version), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/districts/{districtId}/criteria/{version}',
      tags: ['criteria'],
      summary: 'Save a draft; 409 if someone saved it since your revision or it is published',
      ...access(deps, EDITORS),
      request: { params: versionParams, body: jsonBody(saveCriteriaSchema) },
      responses: { 200: jsonResponse(criteriaVersionSchema, 'Saved'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId, version } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      return c.json(await saveCriteriaVersion(deps, districtId, version, principal.subject, c.req.valid('json')), 200);
    },
    criteriaHook,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/criteria/{version}/publish',
      tags: ['criteria'],
      summary: 'Publish a draft: it never changes again',
      ...access(deps, EDITORS),
      request: { params: versionParams, body: jsonBody(publishCriteriaSchema) },
      responses: { 200: jsonResponse(criteriaVersionSchema, 'Published'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { districtId, version } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      const { revision } = c.req.valid('json');
      return c.json(await publishCriteriaVersion(deps, districtId, version, principal.subject, revision), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/criteria/{version}/preview',
      tags: ['criteria'],
      summary: 'Score a period with this version without storing anything; compare with another version',
      ...access(deps, EDITORS),
      request: { params: versionParams, body: jsonBody(previewRequestSchema) },
      responses: { 200: jsonResponse(previewSchema, 'The preview'), ...errorResponses, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId, version } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      return c.json(await previewCriteriaVersion(db, districtId, version, c.req.valid('json')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/evaluations',
      tags: ['evaluations'],
      summary: 'Start an evaluation run of a period with a published criteria version (202; poll its progress)',
      ...access(deps, EDITORS),
      request: { params: districtParams, body: jsonBody(startEvaluationSchema) },
      responses: { 202: jsonResponse(evaluationRunSchema, 'Started'), ...errorResponses, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      const body = c.req.valid('json');
      const run = await startEvaluationRun(deps, {
        districtId,
        period: body.period,
        criteriaVersion: body.criteriaVersion,
        baselinePeriod: body.baselinePeriod,
        startedBy: principal.subject,
        reason: body.reason,
      });
      return c.json(run, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/evaluations',
      tags: ['evaluations'],
      summary: "A district's evaluation runs, newest first",
      ...access(deps, STAFF),
      request: { params: districtParams, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(evaluationRunSchema), 'A page of runs'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      return c.json(await listRuns(db, districtId, limit, cursor), 200);
    },
  );

  const runParams = z.object({ evaluationId: idSchema });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluations/{evaluationId}',
      tags: ['evaluations'],
      summary: 'Status, progress, fingerprint and summary of a run',
      ...access(deps, STAFF),
      request: { params: runParams },
      responses: { 200: jsonResponse(evaluationRunSchema, 'The run'), ...errorResponses },
    }),
    async (c) => {
      const { evaluationId } = c.req.valid('param');
      const principal = c.get('principal');
      return c.json(
        visibleOr404(await getRun(db, evaluationId), (r) => canSeeDistrict(principal, r.districtId), `Evaluation ${evaluationId}`),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluations/{evaluationId}/scores',
      tags: ['evaluations'],
      summary: "Every team's scorecard, paged",
      ...access(deps, STAFF),
      request: { params: runParams, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(scorecardSchema), 'A page of scorecards'), ...errorResponses },
    }),
    async (c) => {
      const { evaluationId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const principal = c.get('principal');
      visibleOr404(await getRun(db, evaluationId), (r) => canSeeDistrict(principal, r.districtId), `Evaluation ${evaluationId}`);
      return c.json(await listScores(db, evaluationId, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluations/{evaluationId}/teams/{teamId}',
      tags: ['evaluations'],
      summary: "One team's scorecard with a line of explanation per indicator (a clerk sees only their institution's teams)",
      ...access(deps, [...STAFF, 'clerk']),
      request: { params: z.object({ evaluationId: idSchema, teamId: idSchema }) },
      responses: { 200: jsonResponse(scorecardSchema, 'The scorecard'), ...errorResponses },
    }),
    async (c) => {
      const { evaluationId, teamId } = c.req.valid('param');
      const principal = c.get('principal');
      const run = visibleOr404(await getRun(db, evaluationId), (r) => canSeeDistrict(principal, r.districtId), `Evaluation ${evaluationId}`);
      // a clerk sees scorecards from publication on (issue 14)
      if (principal.role === 'clerk' && !(await isPublishedRun(deps, run))) throw notFound('not-found', `The scorecard of team ${teamId}`);
      const score = visibleOr404(
        await getScore(db, run.evaluationId, teamId),
        (s) => principal.role !== 'clerk' || principal.institutionId === s.institutionId,
        `The scorecard of team ${teamId}`,
      );
      return c.json(score, 200);
    },
  );

  registerPeriodRoutes(app, deps);
  registerAppealRoutes(app, deps);
  return app;
}
