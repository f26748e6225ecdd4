/**
 * A draft settlement for the demo district's completed evaluation, created through the same
 * service as `POST /districts/{districtId}/settlements`, so the finance pages have something
 * to show and a second officer can approve it. Pool: 3,000 yuan per team (512 teams → 1,536,000
 * yuan), shared by score × active contracts above a score floor of 60, at most 10,000 yuan per
 * team; the district's default role shares split each team's amount. Calling it again for an
 * evaluation that already has a settlement returns that one.
 */
import { formatYuan } from '#shared/domain/money/index.ts';
import { listSettlements, type Settlement } from '#shared/data/settlements.ts';
import { allTeamsOfDistrict } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import { createSettlement } from '#shared/services/settlements-computing.ts';

export const DEMO_POOL_PER_TEAM_FEN = 300_000;

export async function seedDemoSettlement(
  deps: Deps,
  options: { districtId: string; evaluationId: string; createdBy: string; log?: (line: string) => void },
): Promise<Settlement> {
  const existing = (await listSettlements(deps.db, options.districtId, 100)).items.find((s) => s.evaluationId === options.evaluationId);
  if (existing) return existing;
  let teams = 0;
  for await (const _team of allTeamsOfDistrict(deps.db, options.districtId)) teams++;
  const settlement = await createSettlement(deps, {
    districtId: options.districtId,
    by: options.createdBy,
    request: {
      evaluationId: options.evaluationId,
      poolFen: teams * DEMO_POOL_PER_TEAM_FEN,
      method: { kind: 'score-weighted', sizeMeasure: 'active-contracts', scoreFloor: '60', teamCapFen: 1_000_000 },
      note: 'Demo: 3,000 yuan per team, score × active contracts, floor 60, cap 10,000 yuan',
    },
  });
  options.log?.(
    `  draft settlement ${settlement.settlementId}: pool ${formatYuan(settlement.totals.poolFen)} yuan, ` +
      `${settlement.lineCounts.team} team and ${settlement.lineCounts.member} member lines`,
  );
  return settlement;
}
