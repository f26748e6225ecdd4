/**
 * Surveys function (district staff): the survey instrument, invitation sampling, per-team
 * results (aggregates only, never who said what) and reconciliation.
 *
 * GET  /districts/{districtId}/survey-instrument             admin, evaluator, finance, clerk
 * POST /districts/{districtId}/survey-instrument             admin, evaluator: publish a new version
 * POST /districts/{districtId}/survey-invitations            admin, evaluator: draw a sample per team; the links, once (JSON or CSV)
 * GET  /districts/{districtId}/survey-invitations?period=    admin, evaluator: their status only
 * GET  /teams/{teamId}/survey-results?period=                admin, evaluator, finance, clerk (institution): once the period has ended
 * POST /districts/{districtId}/survey-aggregates/reconcile   admin
 * and the evaluator's invitation page (./invitations-page.tsx).
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { conflict } from '#shared/domain/errors.ts';
import { hasPeriodEnded } from '#shared/domain/period-close.ts';
import { surveyResults } from '#shared/domain/surveys/aggregate.ts';
import { instrumentProblems } from '#shared/domain/surveys/instrument.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { currentInstrument, getAggregate, listInvitationStatus, publishInstrument } from '#shared/data/surveys.ts';
import { getTeam } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import { access, createApiApp } from '#shared/http/api.ts';
import { problems } from '#shared/http/problem.ts';
import { assertDistrictInPath, canSeeInstitution, visibleOr404 } from '#shared/http/scope.ts';
import {
  conflictResponse,
  errorResponses,
  idSchema,
  jsonBody,
  jsonResponse,
  pageOf,
  pageQuerySchema,
  periodSchema,
  unprocessableResponse,
} from '#shared/schemas/common.ts';
import {
  createInvitationsSchema,
  instrumentSchema,
  invitationStatusQuerySchema,
  invitationStatusSchema,
  invitationsCreatedSchema,
  publishInstrumentSchema,
  reconcileReportSchema,
  reconcileSchema,
  surveyResultsSchema,
} from '#shared/schemas/surveys.ts';
import { drawInvitations, INVITATION_CSV_COLUMNS, invitationFileName, invitationLink, invitationLinksCsv } from '#shared/services/survey-invitations.ts';
import { reconcileSurveyAggregates } from '#shared/services/survey-reconcile.ts';
import { registerInvitationPages } from './invitations-page.tsx';

export function createSurveysApp(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;
  const districtParams = z.object({ districtId: idSchema });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/survey-instrument',
      tags: ['surveys'],
      summary: "The district's published survey instrument (the platform default until one is published)",
      ...access(deps, ['admin', 'evaluator', 'finance', 'clerk']),
      request: { params: districtParams },
      responses: { 200: jsonResponse(instrumentSchema, 'The instrument'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      return c.json(await currentInstrument(db, districtId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/survey-instrument',
      tags: ['surveys'],
      summary: 'Publish a new version; published versions never change',
      ...access(deps, ['admin', 'evaluator']),
      request: { params: districtParams, body: jsonBody(publishInstrumentSchema) },
      responses: { 201: jsonResponse(instrumentSchema, 'Published'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const principal = c.get('principal');
      assertDistrictInPath(principal, districtId);
      await requireDistrict(db, districtId);
      const { questions } = c.req.valid('json');
      const found = instrumentProblems(questions);
      if (found.length > 0)
        throw problems.unprocessable(
          'The instrument is not valid',
          found.map((p) => ({ field: p.path, message: p.message })),
          { code: 'instrument-invalid' },
        );
      return c.json(await publishInstrument(db, districtId, questions, principal.subject, deps.now().toISOString()), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/survey-invitations',
      tags: ['surveys'],
      summary: 'Draw a random sample of contracted residents per team and issue single-use, expiring links (for the SMS gateway)',
      description:
        'The links exist only in this response: the token behind each is stored as a hash, and `GET /districts/{districtId}/survey-invitations` ' +
        'lists the status of each invitation, never its link. ' +
        'With `Accept: text/csv` the response is the file for the SMS gateway (one row per invitation: ' +
        `${INVITATION_CSV_COLUMNS.join(', ')}), as a download.`,
      ...access(deps, ['admin', 'evaluator']),
      request: { params: districtParams, body: jsonBody(createInvitationsSchema) },
      responses: {
        201: {
          description: 'Invitations issued (their links given out once, here)',
          content: { 'application/json': { schema: invitationsCreatedSchema }, 'text/csv': { schema: z.string() } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      const body = c.req.valid('json');
      const expiresAtMs = deps.now().getTime() + body.validDays * 86_400_000;
      const drawn = await drawInvitations(db, {
        districtId,
        period: body.period,
        samplePerTeam: body.samplePerTeam,
        expiresAt: Math.floor(expiresAtMs / 1000),
      });
      const origin = new URL(c.req.url).origin;
      const expiresAt = new Date(expiresAtMs).toISOString();
      // the only response that ever holds the links: no cache may keep it
      c.header('cache-control', 'no-store');
      if ((c.req.header('accept') ?? '').includes('text/csv')) {
        return c.body(invitationLinksCsv(drawn.invitations, { origin, period: body.period, expiresAt }), 201, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${invitationFileName(districtId, body.period)}"`,
        }) as never;
      }
      return c.json(
        {
          period: body.period,
          expiresAt,
          teams: drawn.teams,
          invitations: drawn.invitations.map((i) => ({ invitationId: i.invitationId, teamId: i.teamId, link: invitationLink(origin, i.token) })),
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/survey-invitations',
      tags: ['surveys'],
      summary: "A period's invitations by team with their status (sent, answered, expired); never their links",
      ...access(deps, ['admin', 'evaluator']),
      request: { params: districtParams, query: pageQuerySchema.extend(invitationStatusQuerySchema.shape) },
      responses: { 200: jsonResponse(pageOf(invitationStatusSchema), 'A page of invitations'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { period, limit, cursor } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      return c.json(await listInvitationStatus(db, districtId, period, deps.now(), limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/teams/{teamId}/survey-results',
      tags: ['surveys'],
      summary: 'Top-box share, mean on 0–100 and n per question, once the period has ended; figures withheld below the minimum number of responses',
      description:
        'A period still running answers 409 `survey-period-open`: results that changed with each response would reveal, by comparing two readings, ' +
        'what one resident answered. Once the period has ended (midnight China time) no response is taken for it any more, so its results stay fixed.',
      ...access(deps, ['admin', 'evaluator', 'finance', 'clerk']),
      request: { params: z.object({ teamId: idSchema }), query: z.object({ period: periodSchema }) },
      responses: { 200: jsonResponse(surveyResultsSchema, 'Aggregated results'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { teamId } = c.req.valid('param');
      const { period } = c.req.valid('query');
      const principal = c.get('principal');
      const team = visibleOr404(await getTeam(db, teamId), (t) => canSeeInstitution(principal, t), `Team ${teamId}`);
      if (!hasPeriodEnded(period, deps.now())) {
        throw conflict('survey-period-open', `Survey results of ${period} are shown once the period has ended`, { period });
      }
      const [district, instrument, counters] = await Promise.all([
        requireDistrict(db, team.districtId),
        currentInstrument(db, team.districtId),
        getAggregate(db, team.districtId, period, teamId),
      ]);
      return c.json({ teamId, period, ...surveyResults(instrument, counters, district.settings.surveyMinResponses) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/survey-aggregates/reconcile',
      tags: ['surveys'],
      summary: 'Recompute aggregates from raw answers and report drift (fix: true overwrites)',
      ...access(deps, ['admin']),
      request: { params: districtParams, body: jsonBody(reconcileSchema) },
      responses: { 200: jsonResponse(reconcileReportSchema, 'The reconciliation report'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const body = c.req.valid('json');
      await requireDistrict(db, districtId);
      return c.json(await reconcileSurveyAggregates(db, districtId, body.period, body.fix), 200);
    },
  );

  registerInvitationPages(app, deps);
  return app;
}
