/**
 * Finance pages of issue 17 (HTML, cookie sign-in like the other finance pages):
 *
 * GET  /finance/districts/{districtId}/payees                    finance, admin: payees (masked), pending changes; forms for officers
 * POST /finance/institutions/{institutionId}/payee                finance: propose a change (form) → the payees page
 * POST /finance/institutions/{institutionId}/payee/approve        finance: approve the change shown (field proposalId) → the payees page
 * GET  /finance/districts/{districtId}/settlements/year/{year}    finance, admin: the year
 * GET  /finance/settlements/{settlementId}/comparison             finance, admin: against the settlement before
 *
 * A rejected form (a wrong check character, your own change, a change replaced meanwhile) shows
 * the payees page again with the reason and the status of the problem.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Context } from 'hono';
import { DomainError } from '#shared/domain/errors.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { getInstitution, type Institution } from '#shared/data/institutions.ts';
import { getSettlement } from '#shared/data/settlements.ts';
import type { Deps } from '#shared/deps.ts';
import type { ApiEnv } from '#shared/http/api.ts';
import type { Principal, Role } from '#shared/http/principal.ts';
import { assertDistrictInPath, canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { idSchema } from '#shared/schemas/common.ts';
import { approvePayee, proposePayee } from '#shared/services/payees.ts';
import { settlementComparison, settlementYear } from '#shared/services/settlement-year.ts';
import { formValues } from '#shared/web/forms.ts';
import { pageLang } from '#shared/web/lang.ts';
import { messageOnDemand } from '#shared/domain/messages/on-demand.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import type { PayeeNotice } from './pages/payees-page.tsx';
import { districtPayees } from './payee-routes.ts';

const READERS: readonly Role[] = ['finance', 'admin'];
const OFFICERS: readonly Role[] = ['finance'];
/** the navigation entry these pages belong under */
const NAV_KEY = 'settlements';

export function registerFinancePages(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  const pageQuery = z.object({ lang: z.string().max(8).optional() });
  const institutionParams = z.object({ institutionId: idSchema });

  async function visibleInstitution(principal: Principal, institutionId: string): Promise<Institution> {
    return visibleOr404(await getInstitution(deps.db, institutionId), (i) => canSeeDistrict(principal, i.districtId), `Institution ${institutionId}`);
  }

  async function payeesPage(c: Context<ApiEnv>, districtId: string, status: 200 | 400 | 403 | 409, extra: { notice?: PayeeNotice; problem?: string } = {}) {
    // the pages of this file load on first use, not at the finance function's cold start
    const lang = pageLang(c);
    const [items, district, shell, { PayeesPage }] = await Promise.all([
      districtPayees(deps, districtId),
      requireDistrict(deps.db, districtId),
      shellOf(c, deps.db, lang, NAV_KEY),
      import('./pages/payees-page.tsx'),
    ]);
    const page = (
      <PayeesPage lang={lang} shell={shell} districtId={districtId} districtName={district.name} items={items} viewer={c.get('principal')} {...extra} />
    );
    return htmlPage(c, page, status);
  }

  /** Runs a payee form's action; a refused one shows the page again with the reason. */
  async function payeeAction(c: Context<ApiEnv>, institution: Institution, notice: PayeeNotice, action: () => Promise<unknown>) {
    try {
      await action();
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'invalid' || error.kind === 'conflict' || error.kind === 'forbidden')) {
        return payeesPage(c, institution.districtId, error.kind === 'invalid' ? 400 : error.kind === 'conflict' ? 409 : 403, {
          problem: (await messageOnDemand(error.code, pageLang(c), error.details)) ?? error.message,
        });
      }
      throw error;
    }
    return c.redirect(`/finance/districts/${institution.districtId}/payees?lang=${pageLang(c)}&done=${notice}`, 303);
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/districts/{districtId}/payees',
      tags: ['finance pages'],
      summary: "Page: the district's payees (account numbers masked), pending changes, and the forms to propose and approve",
      ...pageAccess(deps, READERS),
      request: { params: z.object({ districtId: idSchema }), query: pageQuery.extend({ done: z.enum(['proposed', 'approved']).optional() }) },
      responses: { 200: htmlResponse('The payees'), 401: htmlResponse('Not signed in'), 403: htmlResponse('Another district') },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { done } = c.req.valid('query');
      assertDistrictInPath(c.get('principal'), districtId);
      return payeesPage(c, districtId, 200, done ? { notice: done } : {});
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/finance/institutions/{institutionId}/payee',
      tags: ['finance pages'],
      summary: 'Page form: propose a payee change (fields: creditCode, accountName, bank, accountNumber, budgetSubject), then show the payees',
      ...pageAccess(deps, OFFICERS),
      request: { params: institutionParams },
      responses: {
        303: redirectResponse('Proposed: to the payees page'),
        400: htmlResponse('The payees page with what to correct'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('A cross-site form'),
        404: htmlResponse('No such institution in your district'),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const institution = await visibleInstitution(principal, c.req.valid('param').institutionId);
      const v = await formValues(c);
      const details = {
        creditCode: v.creditCode ?? '',
        accountName: v.accountName ?? '',
        bank: v.bank ?? '',
        accountNumber: v.accountNumber ?? '',
        budgetSubject: v.budgetSubject ?? '',
      };
      return payeeAction(c, institution, 'proposed', () => proposePayee(deps, { institution, by: principal.subject, details }));
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/finance/institutions/{institutionId}/payee/approve',
      tags: ['finance pages'],
      summary: 'Page form: approve the pending payee change shown (field: proposalId), then show the payees',
      ...pageAccess(deps, OFFICERS),
      request: { params: institutionParams },
      responses: {
        303: redirectResponse('Approved: to the payees page'),
        401: htmlResponse('Not signed in'),
        403: htmlResponse('Your own change (four-eyes), or a cross-site form'),
        404: htmlResponse('No such institution in your district'),
        409: htmlResponse('Replaced or handled meanwhile'),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const institution = await visibleInstitution(principal, c.req.valid('param').institutionId);
      const v = await formValues(c);
      return payeeAction(c, institution, 'approved', () => approvePayee(deps, { institution, by: principal.subject, proposalId: v.proposalId ?? '' }));
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/districts/{districtId}/settlements/year/{year}',
      tags: ['finance pages'],
      summary: 'Page: the year — approved settlements in force, totals per institution, team and funding source',
      ...pageAccess(deps, READERS),
      request: { params: z.object({ districtId: idSchema, year: z.string().regex(/^\d{4}$/) }), query: pageQuery },
      responses: { 200: htmlResponse('The year'), 401: htmlResponse('Not signed in'), 403: htmlResponse('Another district') },
    }),
    async (c) => {
      const { districtId, year } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      const district = await requireDistrict(deps.db, districtId);
      const lang = pageLang(c);
      const [{ YearPage }, shell, data] = await Promise.all([
        import('./pages/year-page.tsx'),
        shellOf(c, deps.db, lang, NAV_KEY),
        settlementYear(deps, districtId, year),
      ]);
      return htmlPage(c, <YearPage lang={lang} shell={shell} districtName={district.name} data={data} />, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance/settlements/{settlementId}/comparison',
      tags: ['finance pages'],
      summary: 'Page: a settlement against the one before it, per institution',
      ...pageAccess(deps, READERS),
      request: { params: z.object({ settlementId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) }), query: pageQuery },
      responses: { 200: htmlResponse('The comparison'), 401: htmlResponse('Not signed in'), 404: htmlResponse('No such settlement in your district') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { settlementId } = c.req.valid('param');
      const settlement = visibleOr404(await getSettlement(deps.db, settlementId), (s) => canSeeDistrict(principal, s.districtId), `Settlement ${settlementId}`);
      const lang = pageLang(c);
      const [{ ComparisonPage }, shell, data] = await Promise.all([
        import('./pages/year-page.tsx'),
        shellOf(c, deps.db, lang, NAV_KEY),
        settlementComparison(deps, settlement),
      ]);
      return htmlPage(c, <ComparisonPage lang={lang} shell={shell} data={data} />, 200);
    },
  );
}
