/** GET /finance — finance: the home page (settlement drafts waiting for approval). */
import { createRoute } from '@hono/zod-openapi';
import type { Deps } from '#shared/deps.ts';
import { createApiApp } from '#shared/http/api.ts';
import * as z from '#shared/schemas/zod.ts';
import { financeOverview } from '#shared/services/home-overview.ts';
import { pageLang } from '#shared/web/lang.ts';
import { pageAccess } from '#shared/web/page-access.tsx';
import { htmlPage, htmlResponse } from '#shared/web/responses.ts';
import { shellOf } from '#shared/web/shell.tsx';
import { FinanceHomePage } from './home-page.tsx';

export function createFinanceHomePages(deps: Deps) {
  const app = createApiApp();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/finance',
      tags: ['pages'],
      summary: "Page: the finance officer's home — settlements waiting for approval",
      ...pageAccess(deps, ['finance']),
      request: { query: z.object({ lang: z.enum(['zh', 'en']).optional() }) },
      responses: { 200: htmlResponse('The home page'), 401: htmlResponse('Not signed in') },
    }),
    async (c) => {
      const districtId = c.get('principal').districtId ?? '';
      const overview = await financeOverview(deps, districtId);
      return htmlPage(c, <FinanceHomePage shell={await shellOf(c, deps.db, pageLang(c), 'home')} districtId={districtId} {...overview} />, 200);
    },
  );
  return app;
}
