/**
 * Resident function (signed-in residents): their own contract.
 *
 * GET /me/contract     resident
 */
import { createRoute } from '@hono/zod-openapi';
import { getCurrentContractOf } from '#shared/data/contracts.ts';
import { getTeam } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import { access, createApiApp } from '#shared/http/api.ts';
import { problems } from '#shared/http/problem.ts';
import { errorResponses, jsonResponse } from '#shared/schemas/common.ts';
import { contractSchema, teamSchema } from '#shared/schemas/registry.ts';
import { contractView } from '#shared/schemas/views.ts';
import { z } from '@hono/zod-openapi';

export function createResidentApp(deps: Deps) {
  const app = createApiApp();
  const { db } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/contract',
      tags: ['resident'],
      summary: "The signed-in resident's current contract and its team",
      ...access(deps, ['resident']),
      responses: {
        200: jsonResponse(z.object({ contract: contractSchema, team: teamSchema.pick({ teamId: true, name: true, members: true }) }), 'The current contract'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const contract = await getCurrentContractOf(db, c.get('principal').residentRef!);
      if (!contract) throw problems.notFound('A current contract');
      const team = await getTeam(db, contract.teamId);
      if (!team) throw problems.notFound(`Team ${contract.teamId}`);
      return c.json({ contract: contractView(contract), team: { teamId: team.teamId, name: team.name, members: team.members } }, 200);
    },
  );

  return app;
}
