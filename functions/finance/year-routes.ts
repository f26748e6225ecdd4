/**
 * The year and the comparison (finance officers and administrators of the district):
 *
 * GET  /districts/{districtId}/settlements/year/{year}    totals per institution and team over the year's approved settlements
 * GET  /settlements/{settlementId}/comparison              per institution: before (the corrected or previous period's settlement), after, difference
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import * as z from '#shared/schemas/zod.ts';
import { requireDistrict } from '#shared/data/districts.ts';
import { getSettlement } from '#shared/data/settlements.ts';
import type { Deps } from '#shared/deps.ts';
import { access, type ApiEnv } from '#shared/http/api.ts';
import type { Role } from '#shared/http/principal.ts';
import { assertDistrictInPath, canSeeDistrict, visibleOr404 } from '#shared/http/scope.ts';
import { errorResponses, idSchema, jsonResponse } from '#shared/schemas/common.ts';
import { settlementComparisonSchema, settlementYearSchema } from '#shared/schemas/settlement-year.ts';

const READERS: readonly Role[] = ['finance', 'admin'];

export function registerYearRoutes(app: OpenAPIHono<ApiEnv>, deps: Deps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts/{districtId}/settlements/year/{year}',
      tags: ['finance'],
      summary: "The year: incentives and subsidy per institution and team over the year's approved settlements (corrections replace what they correct)",
      ...access(deps, READERS),
      request: {
        params: z.object({
          districtId: idSchema,
          year: z
            .string()
            .regex(/^\d{4}$/, 'Use a four-digit year')
            .openapi({ example: '2026' }),
        }),
      },
      responses: { 200: jsonResponse(settlementYearSchema, 'The year'), ...errorResponses },
    }),
    async (c) => {
      const { districtId, year } = c.req.valid('param');
      assertDistrictInPath(c.get('principal'), districtId);
      await requireDistrict(deps.db, districtId);
      const { settlementYear } = await import('#shared/services/settlement-year.ts');
      return c.json(await settlementYear(deps, districtId, year), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/settlements/{settlementId}/comparison',
      tags: ['finance'],
      summary: 'A settlement against the one before it (the one it corrects, else the previous period’s in force), per institution: before, after, difference',
      ...access(deps, READERS),
      request: {
        params: z.object({
          settlementId: z
            .string()
            .regex(/^[A-Za-z0-9-]{1,64}$/)
            .openapi({ example: 'stl-4k9d0c2m7q1x8z3b' }),
        }),
      },
      responses: { 200: jsonResponse(settlementComparisonSchema, 'The comparison'), ...errorResponses },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { settlementId } = c.req.valid('param');
      const settlement = visibleOr404(await getSettlement(deps.db, settlementId), (s) => canSeeDistrict(principal, s.districtId), `Settlement ${settlementId}`);
      const { settlementComparison } = await import('#shared/services/settlement-year.ts');
      return c.json(await settlementComparison(deps, settlement), 200);
    },
  );
}
