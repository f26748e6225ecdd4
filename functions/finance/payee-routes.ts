/**
 * Payee routes of the finance function (finance officers of the institution's district; admins read):
 *
 * GET  /institutions/{institutionId}/payee           finance, admin: the approved payee and any pending change, masked
 * PUT  /institutions/{institutionId}/payee           finance: propose a change (202: waits for a second officer)
 * POST /institutions/{institutionId}/payee/approve   finance: a second officer approves the change they reviewed
 * GET  /institutions/{institutionId}/payee/audit     finance, admin: who proposed and approved what (last four digits only)
 * GET  /districts/{districtId}/payees                finance, admin: every institution of the district with its payee
 *
 * An institution of another district answers 404, as if absent.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { getInstitution, type Institution, listInstitutions } from '#shared/data/institutions.ts';
import { listPayeeAudit, payeesOfDistrict } from '#shared/data/payees.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import type { Principal, Role } from '#shared/http/principal.ts';
import { assertDistrictInPath, canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { conflictResponse, errorResponses, idSchema, jsonBody, jsonResponse } from '#shared/schemas/common.ts';
import { approvePayeeSchema, districtPayeesSchema, payeeAuditSchema, payeeInputSchema, payeeViewSchema } from '#shared/schemas/payees.ts';
import { approvePayee, payeeView, proposePayee, readPayee } from '#shared/services/payees.ts';

const READERS: readonly Role[] = ['finance', 'admin'];
const OFFICERS: readonly Role[] = ['finance'];

/** Every institution of a district, page by page (a district has a few hundred at most). */
export async function allInstitutionsOfDistrict(deps: Deps, districtId: string): Promise<Institution[]> {
  const institutions: Institution[] = [];
  let cursor: string | undefined;
  do {
    const page = await listInstitutions(deps.db, districtId, 100, cursor);
    institutions.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return institutions;
}

/** Every institution of the district with its masked payee and pending change. */
export async function districtPayees(deps: Deps, districtId: string) {
  const [institutions, stored] = await Promise.all([allInstitutionsOfDistrict(deps, districtId), payeesOfDistrict(deps.db, districtId)]);
  const current = new Map(stored.payees.map((p) => [p.institutionId, p]));
  const pending = new Map(stored.proposals.map((p) => [p.institutionId, p]));
  return institutions.map((i) => ({ name: i.name, ...payeeView(i, current.get(i.institutionId) ?? null, pending.get(i.institutionId) ?? null) }));
}

export function registerPayeeRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  const { db } = deps;
  const institutionParams = z.object({ institutionId: idSchema });

  async function visibleInstitution(principal: Principal, institutionId: string): Promise<Institution> {
    return visibleOr404(await getInstitution(db, institutionId), (i) => canSeeDistrict(principal, i.districtId), `Institution ${institutionId}`);
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/institutions/{institutionId}/payee',
      tags: ['finance'],
      summary: "The institution's payee (credit code, account name, bank, masked account number, budget subject) and any change waiting for approval",
      ...access(deps, READERS),
      request: { params: institutionParams },
      responses: { 200: jsonResponse(payeeViewSchema, 'The payee'), ...errorResponses },
    }),
    async (c) => {
      const institution = await visibleInstitution(c.get('principal'), c.req.valid('param').institutionId);
      return c.json(await readPayee(deps, institution), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/institutions/{institutionId}/payee',
      tags: ['finance'],
      summary: 'Propose the payee of an institution; a second finance officer approves it before payment files use it',
      ...access(deps, OFFICERS),
      request: { params: institutionParams, body: jsonBody(payeeInputSchema) },
      responses: { 202: jsonResponse(payeeViewSchema, 'Proposed: waiting for approval'), ...errorResponses },
    }),
    async (c) => {
      const principal = c.get('principal');
      const institution = await visibleInstitution(principal, c.req.valid('param').institutionId);
      return c.json(await proposePayee(deps, { institution, by: principal.subject, details: c.req.valid('json') }), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/institutions/{institutionId}/payee/approve',
      tags: ['finance'],
      summary: 'Approve the pending payee change (a second officer of the district, not the one who proposed it)',
      ...access(deps, OFFICERS),
      request: { params: institutionParams, body: jsonBody(approvePayeeSchema) },
      responses: {
        200: jsonResponse(payeeViewSchema, 'Approved: the payee in force'),
        ...errorResponses,
        403: { description: 'Not a finance officer of the district, or `four-eyes`: you proposed it', content: errorResponses[403].content },
        ...conflictResponse,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const institution = await visibleInstitution(principal, c.req.valid('param').institutionId);
      return c.json(await approvePayee(deps, { institution, by: principal.subject, proposalId: c.req.valid('json').proposalId }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/institutions/{institutionId}/payee/audit',
      tags: ['finance'],
      summary: 'Who proposed and approved which payee details, and when (account numbers by their last four digits)',
      ...access(deps, READERS),
      request: { params: institutionParams },
      responses: { 200: jsonResponse(payeeAuditSchema, 'The audit log, oldest first'), ...errorResponses },
    }),
    async (c) => {
      const institution = await visibleInstitution(c.get('principal'), c.req.valid('param').institutionId);
      return c.json({ items: await listPayeeAudit(db, institution.institutionId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/payees',
      tags: ['finance'],
      summary: 'Every institution of the district with its payee (masked) and any pending change',
      ...access(deps, READERS),
      request: { params: z.object({ districtId: idSchema }) },
      responses: { 200: jsonResponse(districtPayeesSchema, 'The payees'), ...errorResponses },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(db, districtId);
      return c.json({ districtId, items: await districtPayees(deps, districtId) }, 200);
    },
  );
}
