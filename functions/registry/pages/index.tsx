/**
 * Registry pages (HTML, zh-CN by default, ?lang=en remembered in a cookie):
 *
 * GET /              public: a signed-in user to their role's home page, anyone else to /login
 * GET /admin         admin: the administrator's home (./admin-home.tsx)
 * GET /clerk/teams   clerk: their institution's teams, members, capacity; links to each team's contracts
 */
import { createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import type { Deps } from '#shared/deps.ts';
import { createApiApp, publicAccess, TOKEN_COOKIE } from '#shared/http/api.ts';
import { landingPath } from '#shared/http/sign-in.ts';
import * as z from '#shared/schemas/zod.ts';
import { clerkScope, teamsOfInstitution } from '#shared/services/clerk-overview.ts';
import { pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse, redirectResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { AdminHomePage } from './admin-home.tsx';
import { TeamsPage } from './teams-page.tsx';

const langQuery = z.object({ lang: z.enum(['zh', 'en']).optional() });

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
      summary: "Page: the clerk's teams with members, capacity and places taken",
      ...pageAccess(deps, ['clerk']),
      request: { query: langQuery },
      responses: { 200: htmlResponse('The teams'), 401: htmlResponse('Not signed in'), 403: htmlResponse('Not a clerk') },
    }),
    async (c) => {
      const scope = await clerkScope(deps, c.get('principal').institutionId);
      const teams = await teamsOfInstitution(deps, scope.institution.institutionId);
      return htmlPage(c, <TeamsPage shell={await shellOf(c, deps.db, pageLang(c), 'teams')} {...scope} teams={teams} />, 200);
    },
  );

  return app;
}
