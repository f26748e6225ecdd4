/**
 * Registry function (administrators and district staff): districts, institutions, teams, and
 * the health check.
 *
 * GET  /health                                  public
 * GET  /districts                               admin (others see their own district)
 * POST /districts                               admin
 * GET  /districts/{districtId}                  admin, district staff
 * PATCH /districts/{districtId}/settings        admin: team capacity cap, contract start grace, term, survey minimum
 * POST /districts/{districtId}/subsidy-rates    admin: a yearly subsidy rate in force from a date
 * GET  /districts/{districtId}/institutions     admin, district staff
 * POST /districts/{districtId}/institutions     admin
 * GET  /institutions/{institutionId}/teams      admin, district staff, the institution's clerk
 * POST /institutions/{institutionId}/teams      admin, the institution's clerk
 * GET  /districts/{districtId}/teams            admin, evaluator, finance
 * GET  /teams/{teamId}                          admin, district staff, the institution's clerk
 * GET  /districts/{districtId}/audit-log        admin: the district's general audit log, newest first, filtered
 * POST /teams/{teamId}/members                  admin, the institution's clerk: a member joins on a date
 * POST /teams/{teamId}/members/{memberId}/leave admin, the institution's clerk: a member leaves on a date (kept, not deleted)
 *
 * Pages: ./pages/index.tsx (/, /admin, /clerk/teams), ./pages/team-members-routes.tsx (/clerk/teams/{teamId}/members).
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { createDistrict, DEFAULT_DISTRICT_SETTINGS, getDistrict, listDistricts, requireDistrict } from '#shared/data/districts.ts';
import { probeTable } from '#shared/data/health.ts';
import { getInstitution, listInstitutions } from '#shared/data/institutions.ts';
import { getTeam, listTeamsOfDistrict, listTeamsOfInstitution } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import type { Principal } from '#shared/http/principal.ts';
import { createRegistryPages } from './pages/index.tsx';
import { access, createApiApp, publicAccess } from '#shared/http/api.ts';
import { assertDistrictInPath, assertInstitutionInPath, canSeeInstitution, visibleOr404 } from '#shared/http/scope.ts';
import { errorResponses, conflictResponse, idSchema, jsonBody, jsonResponse, pageOf, pageQuerySchema, unprocessableResponse } from '#shared/schemas/common.ts';
import {
  addSubsidyRateSchema,
  addTeamMemberSchema,
  memberLeaveSchema,
  updateDistrictSettingsSchema,
  createDistrictSchema,
  createInstitutionSchema,
  createTeamSchema,
  districtSchema,
  institutionSchema,
  teamSchema,
} from '#shared/schemas/registry.ts';
import { createAdminPages } from './pages/routes.tsx';
import { addSubsidyRate, changeDistrictSettings, createTeamOf, registerInstitution } from '#shared/services/registry.ts';
import { auditLogEntrySchema, auditLogQuerySchema } from '#shared/schemas/audit-log.ts';
import { readAuditLog } from '#shared/services/audit-log.ts';
import { addTeamMember, recordMemberLeave } from '#shared/services/team-members.ts';
import { createTeamMemberPages } from './pages/team-members-routes.tsx';

const DISTRICT_STAFF = ['admin', 'evaluator', 'finance', 'clerk'] as const;

export function createRegistryApp(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['platform'],
      summary: 'Healthy only when the database answers a read (one GetItem of a fixed key)',
      ...publicAccess(),
      responses: {
        200: jsonResponse(z.object({ status: z.literal('ok') }), 'The API and its database answer'),
        503: jsonResponse(z.object({ status: z.literal('unavailable') }), 'The database does not answer'),
      },
    }),
    async (c) => {
      try {
        await probeTable(db);
        return c.json({ status: 'ok' as const }, 200);
      } catch {
        return c.json({ status: 'unavailable' as const }, 503);
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts',
      tags: ['registry'],
      summary: 'List districts (administrators all, others their own)',
      ...access(deps, DISTRICT_STAFF),
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(districtSchema), 'A page of districts'), ...errorResponses },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { limit, cursor } = c.req.valid('query');
      if (principal.role === 'admin') return c.json(await listDistricts(db, limit, cursor), 200);
      const own = principal.districtId ? await getDistrict(db, principal.districtId) : null;
      return c.json({ items: own ? [own] : [], nextCursor: null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts',
      tags: ['registry'],
      summary: 'Create a district',
      ...access(deps, ['admin']),
      request: { body: jsonBody(createDistrictSchema) },
      responses: { 201: jsonResponse(districtSchema, 'Created'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const district = await createDistrict(db, {
        districtId: body.districtId,
        name: body.name,
        province: body.province,
        settings: { ...DEFAULT_DISTRICT_SETTINGS, ...body.settings },
        createdAt: deps.now().toISOString(),
      });
      return c.json(district, 201);
    },
  );

  const districtParams = z.object({ districtId: idSchema });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}',
      tags: ['registry'],
      summary: 'One district with its settings',
      ...access(deps, DISTRICT_STAFF),
      request: { params: districtParams },
      responses: { 200: jsonResponse(districtSchema, 'The district'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      return c.json(await requireDistrict(db, districtId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/districts/{districtId}/settings',
      tags: ['registry'],
      summary: "Change a district's settings (administrators only): the team capacity cap, the contract start grace, the term, the survey minimum",
      ...access(deps, ['admin']),
      request: { params: districtParams, body: jsonBody(updateDistrictSettingsSchema) },
      responses: { 200: jsonResponse(districtSchema, 'The district'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      return c.json(await changeDistrictSettings(deps, c.req.valid('param').districtId, c.req.valid('json'), c.get('principal')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/subsidy-rates',
      tags: ['registry'],
      summary: 'Set the yearly subsidy per resident in force from a date (administrators only); settlements pay each day at the rate in force',
      ...access(deps, ['admin']),
      request: { params: districtParams, body: jsonBody(addSubsidyRateSchema) },
      responses: { 200: jsonResponse(districtSchema, 'The district'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      return c.json(await addSubsidyRate(deps, c.req.valid('param').districtId, c.req.valid('json'), c.get('principal')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/institutions',
      tags: ['registry'],
      summary: "List a district's institutions",
      ...access(deps, DISTRICT_STAFF),
      request: { params: districtParams, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(institutionSchema), 'A page of institutions'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      return c.json(await listInstitutions(db, districtId, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/districts/{districtId}/institutions',
      tags: ['registry'],
      summary: 'Register an institution (government-run or social-run)',
      ...access(deps, ['admin']),
      request: { params: districtParams, body: jsonBody(createInstitutionSchema) },
      responses: { 201: jsonResponse(institutionSchema, 'Created'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      return c.json(await registerInstitution(deps, c.req.valid('param').districtId, c.req.valid('json'), c.get('principal')), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/audit-log',
      tags: ['registry'],
      summary: "The district's general audit log, newest first: by China calendar days (from, to), action, actor, entity type, institution",
      ...access(deps, ['admin']),
      request: { params: districtParams, query: auditLogQuerySchema },
      responses: { 200: jsonResponse(pageOf(auditLogEntrySchema), 'A page of entries'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      await requireDistrict(db, districtId);
      return c.json(await readAuditLog(deps, districtId, c.req.valid('query')), 200);
    },
  );

  const institutionParams = z.object({ institutionId: idSchema });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/institutions/{institutionId}/teams',
      tags: ['registry'],
      summary: "List an institution's teams",
      ...access(deps, DISTRICT_STAFF),
      request: { params: institutionParams, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(teamSchema), 'A page of teams'), ...errorResponses },
    }),
    async (c) => {
      const { institutionId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const principal = c.get('principal');
      const institution = visibleOr404(await getInstitution(db, institutionId), (i) => canSeeInstitution(principal, i), `Institution ${institutionId}`);
      return c.json(await listTeamsOfInstitution(db, institution, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/institutions/{institutionId}/teams',
      tags: ['registry'],
      summary: 'Create a "2 + X" team: a general practitioner and a community nurse are required',
      ...access(deps, ['admin', 'clerk']),
      request: { params: institutionParams, body: jsonBody(createTeamSchema) },
      responses: { 201: jsonResponse(teamSchema, 'Created'), ...errorResponses, ...unprocessableResponse },
    }),
    async (c) => {
      const { institutionId } = c.req.valid('param');
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const institution = visibleOr404(await getInstitution(db, institutionId), (i) => canSeeInstitution(principal, i), `Institution ${institutionId}`);
      assertInstitutionInPath(principal, institution);
      const team = await createTeamOf(deps, institution, body, principal);
      return c.json(team, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/teams',
      tags: ['registry'],
      summary: "List a district's teams, grouped by institution",
      ...access(deps, ['admin', 'evaluator', 'finance']),
      request: { params: districtParams, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(teamSchema), 'A page of teams'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      return c.json(await listTeamsOfDistrict(db, districtId, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/teams/{teamId}',
      tags: ['registry'],
      summary: 'One team with its members and how many contracts it holds',
      ...access(deps, DISTRICT_STAFF),
      request: { params: z.object({ teamId: idSchema }) },
      responses: { 200: jsonResponse(teamSchema, 'The team'), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.req.valid('param');
      const principal = c.get('principal');
      return c.json(
        visibleOr404(await getTeam(db, teamId), (t) => canSeeInstitution(principal, t), `Team ${teamId}`),
        200,
      );
    },
  );

  const teamParams = z.object({ teamId: idSchema });

  /** The team, when the principal may change it: out of scope is 404, like absent. */
  const changeableTeam = async (principal: Principal, teamId: string) =>
    visibleOr404(await getTeam(db, teamId, true), (t) => canSeeInstitution(principal, t), `Team ${teamId}`);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/teams/{teamId}/members',
      tags: ['registry'],
      summary: 'A member joins the team on a date (the team with all its members, past ones included)',
      ...access(deps, ['admin', 'clerk']),
      request: { params: teamParams, body: jsonBody(addTeamMemberSchema) },
      responses: { 201: jsonResponse(teamSchema, 'The team'), ...errorResponses, ...unprocessableResponse },
    }),
    async (c) => {
      const team = await changeableTeam(c.get('principal'), c.req.valid('param').teamId);
      return c.json(await addTeamMember(deps, team, c.req.valid('json'), c.get('principal')), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/teams/{teamId}/members/{memberId}/leave',
      tags: ['registry'],
      summary: 'A member leaves the team on a date (their last day); the entry stays with both dates',
      ...access(deps, ['admin', 'clerk']),
      request: { params: teamParams.extend({ memberId: idSchema }), body: jsonBody(memberLeaveSchema) },
      responses: { 200: jsonResponse(teamSchema, 'The team'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const { teamId, memberId } = c.req.valid('param');
      const team = await changeableTeam(c.get('principal'), teamId);
      return c.json(await recordMemberLeave(deps, team, memberId, c.req.valid('json').leftOn, c.get('principal')), 200);
    },
  );

  app.route('/', createRegistryPages(deps));
  app.route('/', createTeamMemberPages(deps));
  app.route('/', createAdminPages(deps));

  return app;
}
