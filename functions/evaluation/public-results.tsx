/**
 * GET /public/districts/{districtId}/results/{period}   public (no sign-in): the published results page (HTML, zh/en)
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import type { Deps } from '#shared/deps.ts';
import { type ApiEnv, publicAccess } from '#shared/http/api.ts';
import { parsePeriod } from '#shared/domain/periods.ts';
import { getDistrict } from '#shared/data/districts.ts';
import { idSchema } from '#shared/schemas/common.ts';
import { periodParamSchema } from '#shared/schemas/metrics.ts';
import { publicResults } from '#shared/services/public-results.ts';
import { pageLang } from '#shared/web/lang.ts';
import { htmlPage, htmlResponse } from '#shared/web/responses.ts';

export function registerPublicResults(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/public/districts/{districtId}/results/{period}',
      tags: ['periods'],
      summary: "A district period's published results for everyone: team totals, grades and ranks (zh-CN by default, ?lang=en)",
      ...publicAccess(),
      request: { params: z.object({ districtId: idSchema, period: periodParamSchema }) },
      responses: { 200: htmlResponse('The results'), 404: htmlResponse('No published results') },
    }),
    async (c) => {
      const { districtId, period } = c.req.valid('param');
      const lang = pageLang(c);
      const switchHref = `?lang=${lang === 'zh' ? 'en' : 'zh'}`;
      const known = parsePeriod(period) !== null && (await getDistrict(deps.db, districtId)) !== null;
      const results = known ? await publicResults(deps, districtId, period) : null;
      // loaded on first use, not at the function's cold start
      const { PublicResultsPage } = await import('./pages/public-results-page.tsx');
      return htmlPage(c, <PublicResultsPage lang={lang} results={results} period={period} switchHref={switchHref} />, results ? 200 : 404);
    },
  );
}
