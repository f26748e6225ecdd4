/**
 * The institution clerk's contract pages (HTML, zh-CN by default, ?lang=en remembered in a
 * cookie). They call the contract services the API calls (shared/services/contracts.ts), so the
 * same rules hold: start window, one contract per resident per day, the capacity cap, fees.
 *
 * GET  /clerk/teams/{teamId}                  a team's contracts (masked numbers), find a resident (?identityNumber=), sign form
 * POST /clerk/teams/{teamId}/contracts        sign → back to the team page; a refusal shown next to its field
 * POST /clerk/contracts/{contractId}/cancel   record a written cancellation (notice date, effective date, reason)
 * POST /clerk/contracts/{contractId}/renew    renew inside the renewal window
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Contract } from '#shared/data/contracts.ts';
import type { Team } from '#shared/data/teams.ts';
import { contractStartWindow, KEY_POPULATIONS, type KeyPopulation, SERVICE_PACKAGE_KINDS } from '#shared/domain/contracts.ts';
import { todayIso } from '#shared/domain/dates.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, createApiApp } from '#shared/http/api.ts';
import { residentRefFor } from '#shared/http/identity.ts';
import { problems } from '#shared/http/problem.ts';
import { canSeeInstitution, visibleOr404 } from '#shared/http/scope.ts';
import { idSchema } from '#shared/schemas/common.ts';
import * as z from '#shared/schemas/zod.ts';
import { clerkScope } from '#shared/services/clerk-overview.ts';
import {
  cancelResidentContract,
  contractById,
  contractsOfTeam,
  currentContractOfResident,
  renewResidentContract,
  signResidentContract,
  teamById,
} from '#shared/services/contracts.ts';
import { type FormProblems, formProblems } from '#shared/web/form-problems.ts';
import { pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { type Lookup, type SignValues, TeamContractsPage, type TeamContractsProps } from './team-contracts-page.tsx';
import { TEXT } from './texts.ts';

const CONTRACTS_PER_PAGE = 50;
const DONE = ['signed', 'cancelled', 'renewed'] as const;
const teamQuery = z.object({
  lang: z.enum(['zh', 'en']).optional(),
  identityNumber: z.string().max(64).optional(),
  cursor: z.string().max(2048).optional(),
  done: z.enum(DONE).optional(),
});
const langQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });

/** The sign form's field of an API field path. */
function signFieldOf(apiField: string): string | undefined {
  if (apiField === 'body.identityNumber' || apiField === 'identityNumber') return 'identityNumber';
  if (apiField === 'body.startDate') return 'startDate';
  if (apiField === 'body.servicePackage.code' || apiField === 'body.servicePackage.kind') return 'packageCode';
  if (apiField === 'body.servicePackage.priceFen' || apiField === 'priceYuan') return 'priceYuan';
  return undefined;
}

const cancelFieldOf = (apiField: string) => ({ 'body.noticeDate': 'noticeDate', 'body.effectiveDate': 'effectiveDate', 'body.reason': 'reason' })[apiField];

/** "120" or "120.50" yuan → fen; undefined for anything else. */
function yuanToFen(text: string): number | undefined {
  const trimmed = text.trim() || '0';
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(trimmed)) return undefined;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

const isDate = (value: string | undefined) => value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value);

export function createContractPages(deps: Deps) {
  const app = createApiApp();

  async function visibleTeam(c: Context<ApiEnv>, teamId: string): Promise<Team> {
    const principal = c.get('principal');
    return visibleOr404(await teamById(deps, teamId), (t) => canSeeInstitution(principal, t), `Team ${teamId}`);
  }

  async function visibleContract(c: Context<ApiEnv>, contractId: string): Promise<Contract> {
    const principal = c.get('principal');
    return visibleOr404(await contractById(deps, contractId), (k) => canSeeInstitution(principal, k), `Contract ${contractId}`);
  }

  function defaultSign(scopePackages: { kind: string; code: string }[]): SignValues {
    const first = scopePackages[0];
    return {
      identityNumber: '',
      insured: true,
      startDate: todayIso(deps.now()),
      packageCode: first ? `${first.kind}:${first.code}` : '',
      priceYuan: '0',
      keyPopulations: [],
    };
  }

  async function render(
    c: Context<ApiEnv>,
    team: Team,
    extra: Partial<Omit<TeamContractsProps, 'shell' | 'team' | 'institution' | 'contracts' | 'nextCursor' | 'window'>> & { cursor?: string },
    status: number,
  ) {
    const lang = pageLang(c);
    const { institution, district } = await clerkScope(deps, team.institutionId);
    const page = await contractsOfTeam(deps, team, CONTRACTS_PER_PAGE, extra.cursor);
    const window = contractStartWindow(todayIso(deps.now()), district.settings.contractStartGraceDays);
    const { cursor: _cursor, ...rest } = extra;
    return htmlPage(
      c,
      <TeamContractsPage
        shell={await shellOf(c, deps.db, lang, 'teams')}
        team={team}
        institution={institution}
        contracts={page.items}
        nextCursor={page.nextCursor}
        window={window}
        sign={extra.sign ?? defaultSign(institution.servicePackages)}
        {...rest}
      />,
      status as 200,
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/clerk/teams/{teamId}',
      tags: ['pages'],
      summary: "Page: a team's contracts with masked identity numbers, a resident looked up by identity number, the sign form",
      ...pageAccess(deps, ['clerk', 'admin']),
      request: { params: z.object({ teamId: idSchema }), query: teamQuery },
      responses: { 200: htmlResponse('The team contracts page'), 401: htmlResponse('Not signed in'), 404: htmlResponse('No such team of your institution') },
    }),
    async (c) => {
      const team = await visibleTeam(c, c.req.valid('param').teamId);
      const { identityNumber, cursor, done } = c.req.valid('query');
      const { institution } = await clerkScope(deps, team.institutionId);
      let lookup: Lookup | undefined;
      const sign = defaultSign(institution.servicePackages);
      if (identityNumber !== undefined && identityNumber.trim() !== '') {
        sign.identityNumber = identityNumber;
        try {
          const { residentRef } = await residentRefFor(deps, identityNumber, 'identityNumber');
          const current = await currentContractOfResident(deps, residentRef);
          if (!current) lookup = { kind: 'none' };
          else if (current.institutionId === team.institutionId)
            lookup = { kind: 'here', teamName: (await teamById(deps, current.teamId))?.name ?? '', endDate: current.endDate };
          else lookup = { kind: 'elsewhere', endDate: current.endDate };
        } catch (error) {
          if (!(error instanceof Error) || (error as { status?: number }).status !== 400) throw error;
          lookup = { kind: 'invalid' };
        }
      }
      return render(c, team, { ...(lookup ? { lookup } : {}), sign, ...(cursor ? { cursor } : {}), ...(done ? { done } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/teams/{teamId}/contracts',
      tags: ['pages'],
      summary: 'Form: sign a contract (identityNumber, insured, startDate, packageCode kind:code, priceYuan, keyPopulations) → the team page',
      ...pageAccess(deps, ['clerk', 'admin']),
      request: { params: z.object({ teamId: idSchema }), query: langQuery },
      responses: {
        303: redirectResponse('Signed: to the team page'),
        400: htmlResponse('A field is wrong'),
        409: htmlResponse('Refused'),
        422: htmlResponse('A rule refused it'),
      },
    }),
    async (c) => {
      const team = await visibleTeam(c, c.req.valid('param').teamId);
      const lang = pageLang(c);
      const form = (await c.req.parseBody({ all: true })) as Record<string, string | string[]>;
      const one = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
      const many = (name: string) => (Array.isArray(form[name]) ? (form[name] as string[]) : typeof form[name] === 'string' ? [form[name] as string] : []);
      const sign: SignValues = {
        identityNumber: one('identityNumber'),
        insured: one('insured') === 'yes',
        startDate: one('startDate'),
        packageCode: one('packageCode'),
        priceYuan: one('priceYuan'),
        keyPopulations: many('keyPopulations').filter((k) => (KEY_POPULATIONS as readonly string[]).includes(k)),
      };
      try {
        const priceFen = yuanToFen(sign.priceYuan);
        const [kind = '', code = ''] = sign.packageCode.split(':');
        const fieldProblems = [
          ...(priceFen === undefined ? [{ field: 'priceYuan', message: TEXT[lang].priceInvalid }] : []),
          ...(isDate(sign.startDate) ? [] : [{ field: 'body.startDate', message: lang === 'zh' ? '请选择日期' : 'Choose a date' }]),
          ...((SERVICE_PACKAGE_KINDS as readonly string[]).includes(kind) && code
            ? []
            : [{ field: 'body.servicePackage.code', message: lang === 'zh' ? '请选择服务包' : 'Choose a package' }]),
        ];
        if (fieldProblems.length > 0) throw problems.validation(fieldProblems);
        const resident = await residentRefFor(deps, sign.identityNumber, 'identityNumber').catch(() => {
          throw problems.validation([{ field: 'identityNumber', message: TEXT[lang].identityInvalid }]);
        });
        await signResidentContract(deps, c.get('principal'), team, resident, {
          insured: sign.insured,
          keyPopulations: sign.keyPopulations as KeyPopulation[],
          servicePackage: { kind: kind as (typeof SERVICE_PACKAGE_KINDS)[number], code, priceFen: priceFen as number },
          startDate: sign.startDate,
        });
      } catch (error) {
        const found = await formProblems(error, lang, signFieldOf);
        return render(c, team, { sign, signProblems: found }, found.status);
      }
      return c.redirect(`/clerk/teams/${encodeURIComponent(team.teamId)}?lang=${lang}&done=signed`, 303);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/contracts/{contractId}/cancel',
      tags: ['pages'],
      summary: 'Form: record a written cancellation (noticeDate, effectiveDate, reason) → the team page',
      ...pageAccess(deps, ['clerk', 'admin']),
      request: { params: z.object({ contractId: idSchema }), query: langQuery },
      responses: { 303: redirectResponse('Cancelled: to the team page'), 400: htmlResponse('A field is wrong'), 422: htmlResponse('A rule refused it') },
    }),
    async (c) => {
      const contract = await visibleContract(c, c.req.valid('param').contractId);
      const team = await visibleTeam(c, contract.teamId);
      const lang = pageLang(c);
      const form = (await c.req.parseBody()) as Record<string, unknown>;
      const values = Object.fromEntries(
        ['noticeDate', 'effectiveDate', 'reason'].map((k) => [k, typeof form[k] === 'string' ? (form[k] as string).trim() : '']),
      ) as Record<string, string>;
      try {
        const missing = [
          ...(isDate(values.noticeDate)
            ? []
            : [{ field: 'body.noticeDate', message: lang === 'zh' ? '请选择书面通知日期' : 'Choose the date of the written notice' }]),
          ...(values.effectiveDate === '' || isDate(values.effectiveDate)
            ? []
            : [{ field: 'body.effectiveDate', message: lang === 'zh' ? '请选择日期' : 'Choose a date' }]),
          ...(values.reason ? [] : [{ field: 'body.reason', message: lang === 'zh' ? '请填写解约原因' : 'Give the reason' }]),
        ];
        if (missing.length > 0) throw problems.validation(missing);
        await cancelResidentContract(deps, contract, {
          noticeDate: values.noticeDate as string,
          reason: (values.reason as string).slice(0, 500),
          ...(values.effectiveDate ? { effectiveDate: values.effectiveDate } : {}),
        });
      } catch (error) {
        const found = await formProblems(error, lang, cancelFieldOf);
        return render(c, team, { cancelProblems: { contractId: contract.contractId, problems: found, values } }, found.status);
      }
      return c.redirect(`/clerk/teams/${encodeURIComponent(team.teamId)}?lang=${lang}&done=cancelled`, 303);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/contracts/{contractId}/renew',
      tags: ['pages'],
      summary: 'Form: renew a contract inside the renewal window → the team page',
      ...pageAccess(deps, ['clerk', 'admin']),
      request: { params: z.object({ contractId: idSchema }), query: langQuery },
      responses: { 303: redirectResponse('Renewed: to the team page'), 422: htmlResponse('Outside the renewal window') },
    }),
    async (c) => {
      const contract = await visibleContract(c, c.req.valid('param').contractId);
      const team = await visibleTeam(c, contract.teamId);
      const lang = pageLang(c);
      try {
        await renewResidentContract(deps, contract);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const found: FormProblems = await formProblems(error, lang, () => undefined);
        return render(c, team, { rowProblems: { contractId: contract.contractId, problems: found } }, found.status);
      }
      return c.redirect(`/clerk/teams/${encodeURIComponent(team.teamId)}?lang=${lang}&done=renewed`, 303);
    },
  );

  return app;
}
