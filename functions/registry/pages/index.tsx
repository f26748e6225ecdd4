/**
 * Registry pages (HTML, zh-CN by default, ?lang=en remembered in a cookie):
 *
 * GET /              public: a signed-in user to their role's home page, anyone else to /login
 * GET /admin         admin: the administrator's home (./admin-home.tsx)
 * GET /clerk/teams   clerk: their institution's teams, members, capacity; links to each team's contracts; the new-team form
 * POST /clerk/teams  clerk: create a team (a general practitioner and a community nurse, capacity within the district cap)
 */
import { createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import type { Deps } from '#shared/deps.ts';
import { createApiApp, publicAccess, TOKEN_COOKIE } from '#shared/http/api.ts';
import { landingPath } from '#shared/http/sign-in.ts';
import * as z from '#shared/schemas/zod.ts';
import { clerkScope, teamsOfInstitution } from '#shared/services/clerk-overview.ts';
import { zodFieldErrors } from '#shared/domain/field-errors.ts';
import { problems } from '#shared/http/problem.ts';
import { createTeamOf } from '#shared/services/registry.ts';
import { formProblems } from '#shared/web/form-problems.ts';
import { formValues } from '#shared/web/forms.ts';
import { pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { AdminHomePage } from './admin-home.tsx';

const langQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });
const teamsQuery = langQuery.extend({ created: z.enum(['1']).optional() });
const newTeamSchema = z.object({
  name: z.string().min(1).max(100),
  gpName: z.string().min(1).max(100),
  nurseName: z.string().min(1).max(100),
  joinedOn: z.iso.date(),
  capacity: z.coerce.number().int().min(1).max(10_000).optional(),
});

export function createRegistryPages(deps: Deps) {
  const app = createApiApp();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['pages'],
      summary: "Page: to the signed-in user's home page, or to /login",
      ...publicAccess(),
      responses: { 302: redirectResponse('To the home page or the sign-in page') },
    }),
    async (c) => {
      const token = getCookie(c, TOKEN_COOKIE);
      const principal = token ? await deps.verifyToken(token) : null;
      const home = principal ? landingPath(principal) : undefined;
      c.header('cache-control', 'no-store');
      return c.redirect(home ?? '/login', 302);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin',
      tags: ['pages'],
      summary: "Page: the administrator's home",
      ...pageAccess(deps, ['admin']),
      request: { query: langQuery },
      responses: { 200: htmlResponse('The home page'), 401: htmlResponse('Not signed in'), 403: htmlResponse('Not an administrator') },
    }),
    async (c) => htmlPage(c, <AdminHomePage shell={await shellOf(c, deps.db, pageLang(c), 'home')} />, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/clerk/teams',
      tags: ['pages'],
      summary: "Page: the clerk's teams with members, capacity and places taken, and the form to create one",
      ...pageAccess(deps, ['clerk']),
      request: { query: teamsQuery },
      responses: { 200: htmlResponse('The teams'), 401: htmlResponse('Not signed in'), 403: htmlResponse('Not a clerk') },
    }),
    async (c) => {
      const scope = await clerkScope(deps, c.get('principal').institutionId);
      const teams = await teamsOfInstitution(deps, scope.institution);
      const created = c.req.valid('query').created === '1';
      // loaded on first use: the registry function's cold start does not pay for the page
      const { TeamsPage } = await import('./teams-page.tsx');
      return htmlPage(
        c,
        <TeamsPage shell={await shellOf(c, deps.db, pageLang(c), 'teams')} {...scope} teams={teams} form={{ values: {} }} created={created} />,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/clerk/teams',
      tags: ['pages'],
      summary: 'Form: create a team (name, gpName, nurseName, joinedOn, capacity within the district cap) → the teams page',
      ...pageAccess(deps, ['clerk']),
      request: { query: langQuery },
      responses: { 303: redirectResponse('Created: to the teams page'), 400: htmlResponse('A field is wrong'), 422: htmlResponse('A rule refused it') },
    }),
    async (c) => {
      const lang = pageLang(c);
      const scope = await clerkScope(deps, c.get('principal').institutionId);
      const values = await formValues(c);
      const text = (name: string) => (values[name] ?? '').trim();
      try {
        const input = newTeamSchema.safeParse({
          name: text('name'),
          gpName: text('gpName'),
          nurseName: text('nurseName'),
          joinedOn: text('joinedOn'),
          ...(text('capacity') ? { capacity: text('capacity') } : {}),
        });
        if (!input.success) throw problems.validation(zodFieldErrors(input.error, 'form', input.data));
        const body = input.data;
        await createTeamOf(
          deps,
          scope.institution,
          {
            name: body.name,
            capacity: body.capacity,
            members: [
              { name: body.gpName, role: 'general-practitioner', joinedOn: body.joinedOn },
              { name: body.nurseName, role: 'community-nurse', joinedOn: body.joinedOn },
            ],
          },
          c.get('principal'),
        );
      } catch (error) {
        const found = await formProblems(error, lang, (field) =>
          field.startsWith('form.') ? field.slice(5) : field === 'body.capacity' ? 'capacity' : undefined,
        );
        const teams = await teamsOfInstitution(deps, scope.institution);
        const { TeamsPage } = await import('./teams-page.tsx');
        return htmlPage(
          c,
          <TeamsPage shell={await shellOf(c, deps.db, lang, 'teams')} {...scope} teams={teams} form={{ values, problems: found }} />,
          found.status as 400,
        );
      }
      return c.redirect(`/clerk/teams?lang=${lang}&created=1`, 303);
    },
  );

  return app;
}
