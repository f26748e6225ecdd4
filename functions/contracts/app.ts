/**
 * Contracts function (institution clerks, residents for themselves, administrators):
 * signing, renewal and cancellation of resident contracts.
 *
 * POST /contracts                           clerk (team's institution), resident (self), admin
 * GET  /contracts/{contractId}              clerk (institution), resident (own), admin
 * POST /contracts/{contractId}/renew        clerk (institution), resident (own), admin
 * POST /contracts/{contractId}/cancel       clerk (institution), admin: a written notice; effective in
 *                                           the future, the contract stays active until that date
 *
 * Signing rules (docs/money-rules.md): the start within [today − grace, today + 90 days] unless an
 * administrator sends `correction: { reason }`; the package one the institution publishes, at
 * most at the fee the rules allow; one contract per resident per day (shared/data/contracts.ts).
 * GET  /teams/{teamId}/contracts            clerk (institution), admin
 *
 * Pages for institution clerks: ./pages/index.tsx (/clerk/teams/{teamId}, sign, renew, cancel).
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { type Contract, getContract, getCurrentContractTerms, listContractsOfTeam } from '#shared/data/contracts.ts';
import { todayIso } from '#shared/domain/dates.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { getTeam } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import { createContractPages } from './pages/index.tsx';
import { access, createApiApp } from '#shared/http/api.ts';
import { residentRefFor } from '#shared/http/identity.ts';
import type { Principal } from '#shared/http/principal.ts';
import { problems } from '#shared/http/problem.ts';
import { canSeeInstitution, visibleOr404 } from '#shared/http/scope.ts';
import { conflictResponse, errorResponses, idSchema, jsonBody, jsonResponse, pageOf, pageQuerySchema, unprocessableResponse } from '#shared/schemas/common.ts';
import { cancelContractSchema, contractSchema, signContractSchema } from '#shared/schemas/registry.ts';
import { contractView } from '#shared/data/contract-view.ts';
import { cancelResidentContract, RENEWAL_WINDOW, renewResidentContract, signResidentContract } from '#shared/services/contracts.ts';

function canHandleContract(principal: Principal, contract: Contract): boolean {
  if (principal.role === 'resident') return principal.residentRef === contract.residentRef;
  return principal.role === 'admin' || (principal.role === 'clerk' && principal.institutionId === contract.institutionId);
}

/**
 * A refusal because the resident has a contract in force names that contract and its team only
 * to a caller who may already see it: the resident, an administrator, the clerk of its
 * institution. A clerk elsewhere learns only that a contract exists (#16: no leak through a 409).
 */
const EXISTING_CONTRACT_CODES: ReadonlySet<string> = new Set(['resident-has-active-contract-until', 'resident-has-contract']);

async function explainExistingContract(deps: Deps, principal: Principal, residentRef: string, error: unknown): Promise<unknown> {
  if (!(error instanceof DomainError) || !EXISTING_CONTRACT_CODES.has(error.code)) return error;
  // the refusal stands without the explanation when the read behind it fails
  const current = await getCurrentContractTerms(deps.db, residentRef).catch(() => null);
  const visible = current !== null && (principal.role === 'resident' || canSeeInstitution(principal, current));
  if (!visible) return error;
  return new DomainError(error.kind, error.code, `${error.message} (contract ${current.contractId} with team ${current.teamId})`, {
    ...error.details,
    currentTeamId: current.teamId,
    currentContractId: current.contractId,
  });
}

export function createContractsApp(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;
  const contractParams = z.object({ contractId: idSchema });

  async function visibleContract(principal: Principal, contractId: string): Promise<Contract> {
    return visibleOr404(await getContract(db, contractId), (c) => canHandleContract(principal, c), `Contract ${contractId}`);
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/contracts',
      tags: ['contracts'],
      summary: 'Sign a contract between a resident and a team (one in force per resident; team capacity holds)',
      ...access(deps, ['admin', 'clerk', 'resident']),
      request: { body: jsonBody(signContractSchema) },
      responses: { 201: jsonResponse(contractSchema, 'Signed'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const { residentRef, identityNumber } = await residentRefFor(deps, body.identityNumber, 'body.identityNumber');
      if (principal.role === 'resident' && principal.residentRef !== residentRef) {
        throw problems.forbidden('Residents sign contracts only for themselves', { code: 'resident-own-contract' });
      }
      const team = visibleOr404(await getTeam(db, body.teamId), (t) => principal.role === 'resident' || canSeeInstitution(principal, t), `Team ${body.teamId}`);
      const contract = await signResidentContract(deps, principal, team, { residentRef, identityNumber }, body).catch(async (error: unknown) => {
        throw await explainExistingContract(deps, principal, residentRef, error);
      });
      return c.json(contractView(contract, todayIso(deps.now())), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/contracts/{contractId}',
      tags: ['contracts'],
      summary: 'One contract (identity number masked)',
      ...access(deps, ['admin', 'clerk', 'resident']),
      request: { params: contractParams },
      responses: { 200: jsonResponse(contractSchema, 'The contract'), ...errorResponses },
    }),
    async (c) => c.json(contractView(await visibleContract(c.get('principal'), c.req.valid('param').contractId), todayIso(deps.now())), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/contracts/{contractId}/renew',
      tags: ['contracts'],
      summary: `Renew for another term (from ${RENEWAL_WINDOW.daysBefore} days before the end to ${RENEWAL_WINDOW.daysAfter} days after)`,
      ...access(deps, ['admin', 'clerk', 'resident']),
      request: { params: contractParams },
      responses: { 200: jsonResponse(contractSchema, 'Renewed'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const contract = await visibleContract(c.get('principal'), c.req.valid('param').contractId);
      const renewed = await renewResidentContract(deps, contract);
      return c.json(contractView(renewed, todayIso(deps.now())), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/contracts/{contractId}/cancel',
      tags: ['contracts'],
      summary: 'Record a written cancellation; frees the team place so the resident may sign elsewhere',
      ...access(deps, ['admin', 'clerk']),
      request: { params: contractParams, body: jsonBody(cancelContractSchema) },
      responses: { 200: jsonResponse(contractSchema, 'Cancelled'), ...errorResponses, ...conflictResponse, ...unprocessableResponse },
    }),
    async (c) => {
      const contract = await visibleContract(c.get('principal'), c.req.valid('param').contractId);
      const body = c.req.valid('json');
      const cancelled = await cancelResidentContract(deps, contract, body);
      return c.json(contractView(cancelled, todayIso(deps.now())), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/teams/{teamId}/contracts',
      tags: ['contracts'],
      summary: "A team's contracts by start date (identity numbers masked)",
      ...access(deps, ['admin', 'clerk']),
      request: { params: z.object({ teamId: idSchema }), query: pageQuerySchema },
      responses: { 200: jsonResponse(pageOf(contractSchema), 'A page of contracts'), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const principal = c.get('principal');
      const team = visibleOr404(await getTeam(db, teamId), (t) => canSeeInstitution(principal, t), `Team ${teamId}`);
      const page = await listContractsOfTeam(db, team, limit, cursor);
      return c.json({ items: page.items.map((item) => contractView(item, todayIso(deps.now()))), nextCursor: page.nextCursor }, 200);
    },
  );

  app.route('/', createContractPages(deps));
  return app;
}
