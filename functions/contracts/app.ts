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
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { addDays, todayIso, toDayNumber } from '#shared/domain/dates.ts';
import { contractStartWindow, maxChargeFen, renewedEnd, termEnd, withDerivedKeyPopulations } from '#shared/domain/contracts.ts';
import { DomainError, ruleBroken } from '#shared/domain/errors.ts';
import { subsidyRateOn } from '#shared/domain/money/subsidy-rates.ts';
import { birthDateOf, maskIdentityNumber } from '#shared/domain/identity-number.ts';
import { cancelContract, type Contract, getContract, listContractsOfTeam, renewContract, signContract } from '#shared/data/contracts.ts';
import { type District, requireDistrict, subsidyRatesOf } from '#shared/data/districts.ts';
import { type Institution, requireInstitution } from '#shared/data/institutions.ts';
import { newId } from '#shared/data/items.ts';
import { getTeam } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import { access, createApiApp } from '#shared/http/api.ts';
import { residentRefFor } from '#shared/http/identity.ts';
import type { Principal } from '#shared/http/principal.ts';
import { problems } from '#shared/http/problem.ts';
import { canSeeInstitution, visibleOr404 } from '#shared/http/scope.ts';
import { conflictResponse, errorResponses, idSchema, jsonBody, jsonResponse, pageOf, pageQuerySchema, unprocessableResponse } from '#shared/schemas/common.ts';
import { cancelContractSchema, contractSchema, signContractSchema } from '#shared/schemas/registry.ts';
import { contractView } from '#shared/data/contract-view.ts';

/** Renewal opens this many days before the end of the term and stays open this long after. */
export const RENEWAL_WINDOW = { daysBefore: 60, daysAfter: 30 } as const;

/** The start date is inside the signing window, or an administrator enters a historical contract as a correction. */
function checkStartDate(principal: Principal, district: District, startDate: string, today: string, correction: { reason: string } | undefined): void {
  if (correction && principal.role !== 'admin') {
    throw new DomainError('forbidden', 'correction-admin-only', 'Only an administrator enters a historical contract as a correction', { field: 'body.correction' });
  }
  const { earliest, latest } = contractStartWindow(today, district.settings.contractStartGraceDays);
  if (!correction && (startDate < earliest || startDate > latest)) {
    throw ruleBroken('contract-start-outside-window', `A contract starts between ${earliest} and ${latest}; an earlier start is an administrator's correction`, {
      field: 'body.startDate',
      earliest,
      latest,
    });
  }
}

/** The package is one the institution publishes, and the price at most what the fee rules allow. */
function checkFee(institution: Institution, district: District, body: { insured: boolean; startDate: string; servicePackage: Contract['servicePackage'] }): void {
  const { kind, code, priceFen } = body.servicePackage;
  const published = institution.servicePackages.find((p) => p.code === code && p.kind === kind);
  if (!published) {
    throw ruleBroken('package-not-published', `${institution.name} does not publish a ${kind} package ${code}`, { field: 'body.servicePackage.code', packageCode: code });
  }
  const maxFen = maxChargeFen({
    ownership: institution.ownership,
    kind,
    publishedFeeFen: published.feeFen,
    insured: body.insured,
    subsidyPerYearFen: subsidyRateOn(subsidyRatesOf(district.settings), body.startDate),
  });
  if (priceFen > maxFen) {
    throw ruleBroken('fee-above-allowed', `At most ${maxFen} fen may be charged for package ${code} (published fee ${published.feeFen} fen)`, {
      field: 'body.servicePackage.priceFen',
      maxFen,
      publishedFeeFen: published.feeFen,
    });
  }
}

function canHandleContract(principal: Principal, contract: Contract): boolean {
  if (principal.role === 'resident') return principal.residentRef === contract.residentRef;
  return principal.role === 'admin' || (principal.role === 'clerk' && principal.institutionId === contract.institutionId);
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
      const team = visibleOr404(
        await getTeam(db, body.teamId),
        (t) => principal.role === 'resident' || canSeeInstitution(principal, t),
        `Team ${body.teamId}`,
      );
      const [district, institution] = await Promise.all([requireDistrict(db, team.districtId), requireInstitution(db, team.institutionId)]);
      const now = deps.now();
      const today = todayIso(now);
      checkStartDate(principal, district, body.startDate, today, body.correction);
      checkFee(institution, district, body);
      const endDate = termEnd(body.startDate, district.settings.contractTermMonths);
      const contract = await signContract(db, {
        contractId: newId('contract'),
        teamId: team.teamId,
        institutionId: team.institutionId,
        districtId: team.districtId,
        residentRef,
        identityMasked: maskIdentityNumber(identityNumber),
        insured: body.insured,
        keyPopulations: withDerivedKeyPopulations(body.keyPopulations, birthDateOf(identityNumber), body.startDate),
        servicePackage: body.servicePackage,
        startDate: body.startDate,
        endDate,
        // never stored active once over: a historical correction whose term ended is recorded as ended
        status: endDate < today ? 'ended' : 'active',
        renewals: 0,
        ...(body.correction ? { correction: { reason: body.correction.reason, by: principal.subject, at: now.toISOString() } } : {}),
        signedAt: now.toISOString(),
      }, institution.servicePackages);
      return c.json(contractView(contract), 201);
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
    async (c) => c.json(contractView(await visibleContract(c.get('principal'), c.req.valid('param').contractId)), 200),
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
      if (contract.status !== 'active' || contract.cancellation) throw ruleBroken('contract-cancelled', 'A cancelled contract cannot be renewed');
      const today = todayIso(deps.now());
      const daysToEnd = toDayNumber(contract.endDate) - toDayNumber(today);
      if (daysToEnd > RENEWAL_WINDOW.daysBefore || -daysToEnd > RENEWAL_WINDOW.daysAfter) {
        throw ruleBroken('outside-renewal-window', `Renewal is possible from ${addDays(contract.endDate, -RENEWAL_WINDOW.daysBefore)} to ${addDays(contract.endDate, RENEWAL_WINDOW.daysAfter)}`);
      }
      const district = await requireDistrict(db, contract.districtId);
      const renewed = await renewContract(db, contract, renewedEnd(contract.endDate, district.settings.contractTermMonths));
      return c.json(contractView(renewed), 200);
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
      const effectiveDate = body.effectiveDate ?? todayIso(deps.now());
      if (body.noticeDate > effectiveDate) {
        throw ruleBroken('notice-after-effective-date', 'The written notice must come on or before the effective date', { field: 'body.noticeDate' });
      }
      if (effectiveDate < contract.startDate) {
        throw ruleBroken('effective-before-start', 'A contract cannot end before it starts', { field: 'body.effectiveDate' });
      }
      const cancelled = await cancelContract(db, contract, { noticeDate: body.noticeDate, reason: body.reason, effectiveDate }, todayIso(deps.now()));
      return c.json(contractView(cancelled), 200);
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
      visibleOr404(await getTeam(db, teamId), (t) => canSeeInstitution(principal, t), `Team ${teamId}`);
      const page = await listContractsOfTeam(db, teamId, limit, cursor);
      return c.json({ items: page.items.map(contractView), nextCursor: page.nextCursor }, 200);
    },
  );

  return app;
}
