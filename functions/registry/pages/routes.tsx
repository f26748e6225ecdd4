/**
 * The administrator pages of the registry (HTML, zh-CN by default, ?lang=en; sign-in by the
 * gk_token cookie or a bearer token). Plain forms and POST-redirect-GET; each calls the same
 * services as the JSON API in ../app.ts (shared/services/registry.ts).
 *
 * GET  /admin/districts                                  admin: every district
 * GET  /admin/districts/{districtId}                     admin: settings, subsidy rates, institutions, a new institution
 * POST /admin/districts/{districtId}/settings            admin: team cap, survey minimum, term, start grace
 * POST /admin/districts/{districtId}/subsidy-rates       admin: a yearly subsidy in force from a date
 * POST /admin/districts/{districtId}/institutions        admin: register an institution → its page
 * GET  /admin/institutions/{institutionId}               admin: ownership, level, packages and fees, teams, a new team
 * POST /admin/institutions/{institutionId}/teams         admin: create a "2 + X" team
 * GET  /admin/districts/{districtId}/audit-log            admin: the district's audit log with filters (dates, action, actor, kind, institution)
 * GET  /admin/users                                      admin: invite a user (role, district, institution); ?districtId lists its institutions
 * POST /admin/users                                      admin: invite (Cognito when deployed; locally the demo identity to sign in as)
 *
 * A refused form is shown again with what was typed, each problem next to its field (400), or the
 * service's refusal in the page's language (409 / 422); anything else is the kit's error page.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import * as z from '#shared/schemas/zod.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { messageOnDemand } from '#shared/domain/messages/on-demand.ts';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, createApiApp } from '#shared/http/api.ts';
import type { Principal } from '#shared/http/principal.ts';
import { idSchema } from '#shared/schemas/common.ts';
import {
  addSubsidyRate,
  changeDistrictSettings,
  createTeamOf,
  districtOf,
  districtsPage,
  institutionOf,
  institutionsPage,
  registerInstitution,
  teamsOfInstitutionPage,
} from '#shared/services/registry.ts';
import { formValues } from '#shared/web/forms.ts';
import { type Lang, langOf, pageLang } from '#shared/web/lang.ts';
import { institutionNames, readAuditLog } from '#shared/services/audit-log.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { sessionOf } from '#shared/web/session.ts';
import { DistrictListPage, type DistrictForms, DistrictPage, settingsValues } from './district-pages.tsx';
import { emptyForm, type FormState } from '#shared/web/fields.tsx';
import { parseAuditFilters, parseInstitution, parseSettings, parseSubsidyRate, parseTeam, type Parsed } from './forms.ts';
import { InstitutionPage } from './institution-page.tsx';
import { TEXT } from './texts.ts';
import { USERS_TEXT, UsersPage } from './users-page.tsx';
import { userDirectoryFromEnv } from '../user-directory.ts';
import { INVITABLE_ROLES, inviteUser, type InviteOutcome } from '#shared/services/user-invites.ts';

const ADMINS = ['admin'] as const;
const ROWS_PER_PAGE = 100;
const AUDIT_ROWS_PER_PAGE = 50;
const backOf = (pathname: string) => pathname.replace(/\/(settings|subsidy-rates|institutions|teams)$/, '');
const pageQuery = z.object({
  lang: z.enum(['zh', 'en']).optional(),
  cursor: z.string().max(2048).optional(),
  done: z.enum(['settings', 'rate', 'institution', 'team']).optional(),
});
const pageResponses = {
  200: htmlResponse('The page'),
  401: htmlResponse('Not signed in'),
  403: htmlResponse('Not an administrator'),
  404: htmlResponse('No such record'),
};
const formResponses = {
  303: redirectResponse('Done: back to the page with a notice'),
  400: htmlResponse('The form again, each problem next to its field'),
  401: htmlResponse('Not signed in'),
  403: htmlResponse('Not an administrator, or a cross-site form'),
  404: htmlResponse('No such record'),
  409: htmlResponse('Changed meanwhile: the form again with the explanation'),
  422: htmlResponse('Refused by a rule: the form again with the explanation'),
};

/** The refusal of a service as a text in the page's language and its status, or null for anything else (left to the error page). */
async function refusal(error: unknown, lang: Lang): Promise<{ text: string; status: 409 | 422 } | null> {
  if (!(error instanceof DomainError) || (error.kind !== 'rule' && error.kind !== 'conflict')) return null;
  return { text: (await messageOnDemand(error.code, lang, error.details)) ?? error.message, status: error.kind === 'conflict' ? 409 : 422 };
}

export function createAdminPages(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;
  const access = pageAccess(deps, ADMINS, { backOf });
  const districtParams = z.object({ districtId: idSchema });
  const institutionParams = z.object({ institutionId: idSchema });

  async function renderDistrict(
    c: Context<ApiEnv>,
    districtId: string,
    lang: Lang,
    forms: Partial<DistrictForms>,
    status: 200 | 400 | 409 | 422,
    cursor?: string,
  ) {
    const district = await districtOf(db, districtId);
    const institutions = await institutionsPage(db, districtId, ROWS_PER_PAGE, cursor);
    return htmlPage(
      c,
      <DistrictPage
        lang={lang}
        session={await sessionOf(db, c.get('principal'))}
        district={district}
        institutions={institutions.items}
        nextCursor={institutions.nextCursor}
        forms={{ settings: emptyForm(settingsValues(district)), rate: emptyForm(), institution: emptyForm(), ...forms }}
      />,
      status,
    );
  }

  async function renderInstitution(
    c: Context<ApiEnv>,
    institutionId: string,
    lang: Lang,
    form: FormState,
    status: 200 | 400 | 409 | 422,
    extra: { problem?: string; notice?: string; cursor?: string } = {},
  ) {
    const institution = await institutionOf(db, institutionId);
    const [district, teams] = await Promise.all([districtOf(db, institution.districtId), teamsOfInstitutionPage(db, institution, ROWS_PER_PAGE, extra.cursor)]);
    return htmlPage(
      c,
      <InstitutionPage
        lang={lang}
        session={await sessionOf(db, c.get('principal'))}
        district={district}
        institution={institution}
        teams={teams.items}
        nextCursor={teams.nextCursor}
        form={form}
        problem={extra.problem}
        notice={extra.notice}
      />,
      status,
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/districts',
      tags: ['admin pages'],
      summary: 'Page: every district',
      ...access,
      request: { query: pageQuery },
      responses: pageResponses,
    }),
    async (c) => {
      const { lang, cursor } = c.req.valid('query');
      const page = await districtsPage(db, ROWS_PER_PAGE, cursor);
      return htmlPage(
        c,
        <DistrictListPage lang={langOf(lang)} session={await sessionOf(db, c.get('principal'))} districts={page.items} nextCursor={page.nextCursor} />,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/districts/{districtId}',
      tags: ['admin pages'],
      summary: "Page: a district's settings, subsidy rates and institutions, with the forms to change them",
      ...access,
      request: { params: districtParams, query: pageQuery },
      responses: pageResponses,
    }),
    async (c) => {
      const { lang: chosen, cursor, done } = c.req.valid('query');
      const lang = langOf(chosen);
      const t = TEXT[lang];
      const notice = done === 'settings' ? t.saved : done === 'rate' ? t.rateAdded : undefined;
      return renderDistrict(c, c.req.valid('param').districtId, lang, notice ? { notice } : {}, 200, cursor);
    },
  );

  /** A district form: read, call the service, back to the district page with a notice, or the page again with the problems. */
  function districtForm<T>(
    path: string,
    form: 'settings' | 'rate' | 'institution',
    summary: string,
    parse: (values: Record<string, string>, lang: Lang) => Parsed<T>,
    act: (districtId: string, value: T, actor: Principal) => Promise<string>,
  ) {
    app.openapi(
      createRoute({ method: 'post', path, tags: ['admin pages'], summary, ...access, request: { params: districtParams }, responses: formResponses }),
      async (c) => {
        const { districtId } = c.req.valid('param');
        const values = await formValues(c);
        const lang = langOf(values.lang);
        const parsed = parse(values, lang);
        if (!parsed.ok) return renderDistrict(c, districtId, lang, { [form]: { values, errors: parsed.errors } }, 400);
        try {
          return c.redirect(`${await act(districtId, parsed.value, c.get('principal'))}&lang=${lang}`, 303);
        } catch (error) {
          const refused = await refusal(error, lang);
          if (!refused) throw error;
          return renderDistrict(c, districtId, lang, { [form]: { values, errors: [] }, problem: { form, text: refused.text } }, refused.status);
        }
      },
    );
  }

  districtForm(
    '/admin/districts/{districtId}/settings',
    'settings',
    'Page form: change the district settings (teamCapacity, surveyMinResponses, contractTermMonths, contractStartGraceDays, lang)',
    parseSettings,
    async (districtId, change, actor) => {
      await changeDistrictSettings(deps, districtId, change, actor);
      return `/admin/districts/${districtId}?done=settings`;
    },
  );
  districtForm(
    '/admin/districts/{districtId}/subsidy-rates',
    'rate',
    'Page form: a yearly subsidy per resident (perYear, yuan) in force from a date (from)',
    parseSubsidyRate,
    async (districtId, rate, actor) => {
      await addSubsidyRate(deps, districtId, rate, actor);
      return `/admin/districts/${districtId}?done=rate`;
    },
  );
  districtForm(
    '/admin/districts/{districtId}/institutions',
    'institution',
    'Page form: register an institution (name, ownership, level, package.{n}.code|name|kind|fee) → its page',
    parseInstitution,
    async (districtId, input, actor) => {
      const institution = await registerInstitution(deps, districtId, input, actor);
      return `/admin/institutions/${institution.institutionId}?done=institution`;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/institutions/{institutionId}',
      tags: ['admin pages'],
      summary: "Page: an institution's ownership, level, packages and fees, its teams, and a new team",
      ...access,
      request: { params: institutionParams, query: pageQuery },
      responses: pageResponses,
    }),
    async (c) => {
      const { lang: chosen, cursor, done } = c.req.valid('query');
      const lang = langOf(chosen);
      const t = TEXT[lang];
      const notice = done === 'institution' ? t.created : done === 'team' ? t.teamCreated : undefined;
      return renderInstitution(c, c.req.valid('param').institutionId, lang, emptyForm(), 200, { ...(notice ? { notice } : {}), ...(cursor ? { cursor } : {}) });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/institutions/{institutionId}/teams',
      tags: ['admin pages'],
      summary: 'Page form: create a team (name, gp, nurse, joinedOn, capacity, member.{n}.name|role)',
      ...access,
      request: { params: institutionParams },
      responses: formResponses,
    }),
    async (c) => {
      const { institutionId } = c.req.valid('param');
      const values = await formValues(c);
      const lang = langOf(values.lang);
      const parsed = parseTeam(values, lang);
      if (!parsed.ok) return renderInstitution(c, institutionId, lang, { values, errors: parsed.errors }, 400);
      try {
        await createTeamOf(deps, await institutionOf(db, institutionId), parsed.value, c.get('principal'));
        return c.redirect(`/admin/institutions/${institutionId}?lang=${lang}&done=team`, 303);
      } catch (error) {
        const refused = await refusal(error, lang);
        if (!refused) throw error;
        return renderInstitution(c, institutionId, lang, { values, errors: [] }, refused.status, { problem: refused.text });
      }
    },
  );

  const auditQuery = z.object({
    lang: z.enum(['zh', 'en']).optional(),
    from: z.string().max(20).optional(),
    to: z.string().max(20).optional(),
    action: z.string().max(40).optional(),
    actor: z.string().max(64).optional(),
    entityType: z.string().max(20).optional(),
    institutionId: z.string().max(64).optional(),
    cursor: z.string().max(2048).optional(),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/districts/{districtId}/audit-log',
      tags: ['admin pages'],
      summary: "Page: the district's audit log, newest first, filtered by China calendar days, action, actor, kind of record and institution",
      ...access,
      request: { params: districtParams, query: auditQuery },
      responses: { ...pageResponses, 400: htmlResponse('The filters again, each problem next to its field') },
    }),
    async (c) => {
      const { districtId } = c.req.valid('param');
      const { lang: _chosen, cursor, ...raw } = c.req.valid('query');
      const lang = pageLang(c);
      const values: Record<string, string> = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const district = await districtOf(db, districtId);
      const [session, names] = await Promise.all([sessionOf(db, c.get('principal')), institutionNames(deps, districtId)]);
      const filters = parseAuditFilters(values, lang);
      let problem: string | undefined;
      let page: Awaited<ReturnType<typeof readAuditLog>> = { items: [], nextCursor: null };
      if (filters.ok) {
        try {
          page = await readAuditLog(deps, districtId, { ...filters.value, limit: AUDIT_ROWS_PER_PAGE, cursor });
        } catch (error) {
          if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
          problem = (await messageOnDemand(error.code, lang, error.details)) ?? error.message;
        }
      }
      const next = page.nextCursor ? new URLSearchParams({ ...values, lang, cursor: page.nextCursor }) : null;
      const { AuditLogPage } = await import('./audit-log-page.tsx');
      return htmlPage(
        c,
        <AuditLogPage
          lang={lang}
          session={session}
          district={district}
          institutions={names}
          entries={page.items}
          nextHref={next ? `/admin/districts/${districtId}/audit-log?${next.toString()}` : null}
          filters={{ values, errors: filters.ok ? [] : filters.errors }}
          problem={problem}
        />,
        filters.ok && !problem ? 200 : 400,
      );
    },
  );

  const directory = userDirectoryFromEnv();

  async function renderUsers(
    c: Context<ApiEnv>,
    lang: Lang,
    form: FormState,
    status: 200 | 400 | 404 | 422,
    extra: { problem?: string; outcome?: InviteOutcome } = {},
  ) {
    const districts = await districtsPage(db, ROWS_PER_PAGE);
    const districtId = form.values.districtId || undefined;
    const institutions =
      districtId && districts.items.some((d) => d.districtId === districtId) ? (await institutionsPage(db, districtId, ROWS_PER_PAGE)).items : [];
    return htmlPage(
      c,
      <UsersPage
        lang={lang}
        session={await sessionOf(db, c.get('principal'))}
        districts={districts.items}
        institutions={institutions}
        form={form}
        problem={extra.problem}
        outcome={extra.outcome}
        external={directory.external === true}
      />,
      status,
    );
  }

  const inviteFields = z.object({
    lang: z.enum(['zh', 'en']).optional(),
    districtId: z.string().max(64).optional(),
    institutionId: z.string().max(64).optional(),
    email: z.string().max(200).optional(),
    name: z.string().max(100).optional(),
    role: z.string().max(16).optional(),
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/users',
      tags: ['admin pages'],
      summary: 'Page: invite a user with a role and scope',
      ...access,
      request: { query: inviteFields },
      responses: pageResponses,
    }),
    async (c) => {
      const { lang, ...values } = c.req.valid('query');
      return renderUsers(
        c,
        langOf(lang),
        emptyForm(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string>),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/users',
      tags: ['admin pages'],
      summary: 'Page form: invite a user (email, name, role, districtId, institutionId, lang)',
      ...access,
      responses: { ...formResponses, 200: htmlResponse('Invited: what happens next (locally: the demo identity)') },
    }),
    async (c) => {
      const values = await formValues(c);
      const lang = langOf(values.lang);
      const t = USERS_TEXT[lang];
      // accounts of an external identity provider are made there: the page says so instead of the form
      if (directory.external) return renderUsers(c, lang, emptyForm(), 422);
      const email = (values.email ?? '').trim();
      const name = (values.name ?? '').trim();
      const errors = [
        ...(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 200 ? [] : [{ field: 'email', message: t.invalidEmail }]),
        ...(name && name.length <= 100 ? [] : [{ field: 'name', message: t.required }]),
        ...((INVITABLE_ROLES as readonly string[]).includes(values.role ?? '') ? [] : [{ field: 'role', message: t.required }]),
      ];
      if (errors.length > 0) return renderUsers(c, lang, { values, errors }, 400);
      try {
        const outcome = await inviteUser(deps, directory, c.get('principal'), {
          email,
          name,
          role: values.role as (typeof INVITABLE_ROLES)[number],
          districtId: values.districtId || undefined,
          institutionId: values.institutionId || undefined,
        });
        return renderUsers(c, lang, emptyForm(), 200, { outcome });
      } catch (error) {
        const refused = await refusal(error, lang);
        if (!refused) throw error;
        return renderUsers(c, lang, { values, errors: [] }, 422, { problem: refused.text });
      }
    },
  );

  return app;
}
