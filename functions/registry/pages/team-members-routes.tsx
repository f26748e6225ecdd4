/**
 * The team members page (HTML, zh-CN by default, the language from the gk_lang cookie or ?lang=):
 *
 * GET  /clerk/teams/{teamId}/members                    the institution's clerk, admin: members with their dates, past ones kept
 * POST /clerk/teams/{teamId}/members                    a member joins (name, role, joinedOn) → back to the page
 * POST /clerk/teams/{teamId}/members/{memberId}/leave   a member leaves (leftOn, not before joining) → back to the page
 *
 * The same services as the JSON API (shared/services/team-members.ts), so the same rules hold.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Team } from '#shared/data/teams.ts';
import { todayIso } from '#shared/domain/dates.ts';
import { zodFieldErrors } from '#shared/domain/field-errors.ts';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, createApiApp } from '#shared/http/api.ts';
import { problems } from '#shared/http/problem.ts';
import { canSeeInstitution, visibleOr404 } from '#shared/http/scope.ts';
import { idSchema } from '#shared/schemas/common.ts';
import { addTeamMemberSchema, memberLeaveSchema } from '#shared/schemas/registry.ts';
import * as z from '#shared/schemas/zod.ts';
import { clerkScope } from '#shared/services/clerk-overview.ts';
import { teamOf } from '#shared/services/team-members.ts';
import { formProblems } from '#shared/web/form-problems.ts';
import { formValues } from '#shared/web/forms.ts';
import { pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import type { MemberForms } from './team-members-page.tsx';

const ROLES = ['clerk', 'admin'] as const;
const teamParams = z.object({ teamId: idSchema });
const langQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });
const pageQuery = langQuery.extend({ done: z.enum(['joined', 'left']).optional() });

/** The form field of an API or form field path (form.name, body.leftOn → name, leftOn). */
const fieldOf = (path: string) => /^(?:form|body)\.(name|role|joinedOn|leftOn)$/.exec(path)?.[1];

const pick = (values: Record<string, string>, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, (values[n] ?? '').trim()]));

export function createTeamMemberPages(deps: Deps) {
  const app = createApiApp();

  async function visibleTeam(c: Context<ApiEnv>, teamId: string): Promise<Team> {
    const principal = c.get('principal');
    return visibleOr404(await teamOf(deps, teamId), (t) => canSeeInstitution(principal, t), `Team ${teamId}`);
  }

  async function render(c: Context<ApiEnv>, team: Team, forms: MemberForms, status: number, done?: 'joined' | 'left') {
    const { institution } = await clerkScope(deps, team.institutionId);
    const shell = await shellOf(c, deps.db, pageLang(c), 'teams');
    // loaded on first use: the registry function's cold start does not pay for this page
    const { TeamMembersPage } = await import('./team-members-page.tsx');
    return htmlPage(
      c,
      <TeamMembersPage shell={shell} team={team} institution={institution} today={todayIso(deps.now())} forms={forms} done={done} />,
      status as 200,
    );
  }

  const pageUrl = (c: Context<ApiEnv>, team: Team, done: string) => `/clerk/teams/${encodeURIComponent(team.teamId)}/members?lang=${pageLang(c)}&done=${done}`;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/clerk/teams/{teamId}/members',
      tags: ['pages'],
      summary: "Page: a team's members with their joining and leaving dates, the form for a member joining, a leave form per current member",
      ...pageAccess(deps, ROLES),
      request: { params: teamParams, query: pageQuery },
      responses: { 200: htmlResponse('The members'), 401: htmlResponse('Not signed in'), 403: htmlResponse('Not a clerk'), 404: htmlResponse('No such team') },
    }),
    async (c) => {
      const team = await visibleTeam(c, c.req.valid('param').teamId);
      return render(c, team, { join: { values: {} } }, 200, c.req.valid('query').done);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/teams/{teamId}/members',
      tags: ['pages'],
      summary: 'Form: a member joins the team (name, role, joinedOn) → the members page',
      ...pageAccess(deps, ROLES),
      request: { params: teamParams, query: langQuery },
      responses: { 303: redirectResponse('Joined: to the members page'), 400: htmlResponse('A field is wrong'), 422: htmlResponse('A rule refused it') },
    }),
    async (c) => {
      const team = await visibleTeam(c, c.req.valid('param').teamId);
      const values = pick(await formValues(c), ['name', 'role', 'joinedOn']);
      try {
        const input = addTeamMemberSchema.safeParse(values);
        if (!input.success) throw problems.validation(zodFieldErrors(input.error, 'form', values));
        const { addTeamMember } = await import('#shared/services/team-members.ts');
        await addTeamMember(deps, team, input.data, c.get('principal'));
      } catch (error) {
        const found = await formProblems(error, pageLang(c), fieldOf);
        return render(c, team, { join: { values, problems: found } }, found.status);
      }
      return c.redirect(pageUrl(c, team, 'joined'), 303);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/teams/{teamId}/members/{memberId}/leave',
      tags: ['pages'],
      summary: 'Form: a member leaves the team on a date (leftOn, not before joining; the entry is kept) → the members page',
      ...pageAccess(deps, ROLES, { backOf: (path) => path.replace(/\/[^/]+\/leave$/, '') }),
      request: { params: teamParams.extend({ memberId: idSchema }), query: langQuery },
      responses: {
        303: redirectResponse('Left: to the members page'),
        400: htmlResponse('A field is wrong'),
        404: htmlResponse('No such member'),
        409: htmlResponse('The member left already'),
        422: htmlResponse('A rule refused it'),
      },
    }),
    async (c) => {
      const { teamId, memberId } = c.req.valid('param');
      const team = await visibleTeam(c, teamId);
      const values = pick(await formValues(c), ['leftOn']);
      try {
        const input = memberLeaveSchema.safeParse(values);
        if (!input.success) throw problems.validation(zodFieldErrors(input.error, 'form', values));
        const { recordMemberLeave } = await import('#shared/services/team-members.ts');
        await recordMemberLeave(deps, team, memberId, input.data.leftOn, c.get('principal'));
      } catch (error) {
        const found = await formProblems(error, pageLang(c), fieldOf);
        if (found.status === 404) throw error;
        const now = (await teamOf(deps, teamId, true)) ?? team;
        return render(c, now, { join: { values: {} }, leave: { memberId, values, problems: found } }, found.status);
      }
      return c.redirect(pageUrl(c, team, 'left'), 303);
    },
  );

  return app;
}
