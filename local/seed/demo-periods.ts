/**
 * The demo district's periods in every state (issue 14): the earlier one published a week and a
 * half ago, its review window over, final and its settlement approved (settled); the later one
 * published today, in review, with an appeal a clerk filed. Through the same services as the API.
 */
import type { Appeal } from '#shared/data/appeals.ts';
import { listInstitutions } from '#shared/data/institutions.ts';
import { allTeamsOfDistrict } from '#shared/data/teams.ts';
import type { Deps } from '#shared/deps.ts';
import { fileAppealAsClerk } from '#shared/services/appeals.ts';
import { publishPeriod, readPeriodForUpdate } from '#shared/services/periods.ts';
import { approveSettlement } from '#shared/services/settlements.ts';
import { seedDemoSettlement } from './demo-settlement.ts';

const DAY_MS = 86_400_000;

export async function seedDemoPeriods(
  deps: Deps,
  options: { districtId: string; settled: { period: string; evaluationId: string }; inReview: { period: string }; log?: (line: string) => void },
): Promise<{ settlementId: string; appeal: Appeal }> {
  const { districtId } = options;
  const now = deps.now();
  // published 10 days ago: the 7-day window closed 3 days ago, no appeal: final, written here (reads do not write it)
  const past = { ...deps, now: () => new Date(now.getTime() - 10 * DAY_MS) };
  await publishPeriod(past, { districtId, period: options.settled.period, by: 'demo-evaluator' });
  await readPeriodForUpdate(deps, districtId, options.settled.period);
  const draft = await seedDemoSettlement(deps, { districtId, evaluationId: options.settled.evaluationId, createdBy: 'finance-demo' });
  await approveSettlement(deps, { settlement: draft, by: 'finance-demo-approver', comment: '演示：已核对考核结果' });
  options.log?.(`  ${options.settled.period}: published, final, settlement ${draft.settlementId} approved (settled)`);

  await publishPeriod(deps, { districtId, period: options.inReview.period, by: 'demo-evaluator' });
  const institution = (await listInstitutions(deps.db, districtId, 1)).items[0]!;
  let teamId = '';
  for await (const team of allTeamsOfDistrict(deps.db, districtId)) {
    if (team.institutionId === institution.institutionId) {
      teamId = team.teamId;
      break;
    }
  }
  const appeal = await fileAppealAsClerk(deps, {
    districtId,
    period: options.inReview.period,
    caller: { subject: `clerk-${institution.institutionId}`, role: 'clerk', districtId, institutionId: institution.institutionId },
    appeal: { teamId, indicator: 'home-visits', metric: 'home-visits-80plus', claimedValue: 12, reason: '演示：季度末有 4 次上门服务漏报' },
  });
  options.log?.(`  ${options.inReview.period}: published for review, appeal ${appeal.appealId} open`);
  return { settlementId: draft.settlementId, appeal };
}
