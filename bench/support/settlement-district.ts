/**
 * A district ready to settle, of any size, for the settlement jobs section (bench/settlement-jobs.ts)
 * and the tests that settle a large district through the job path: institutions of 10 teams, each
 * team with `contractsPerTeam` contracts signed this year, a completed evaluation run of 2026Q3 whose
 * scores spread over 50–100, and the period walked to final with that run official (through the
 * lifecycle's own conditional writes, as test/support/period-lifecycle.ts does). Written in bulk.
 */
import type { Db } from '#shared/data/db.ts';
import { createRun, putScores } from '#shared/data/evaluations.ts';
import { transitionPeriod } from '#shared/data/period-status.ts';
import { dataDeadlineAt } from '#shared/domain/period-lifecycle.ts';
import type { TeamScore } from '#shared/domain/scoring/index.ts';
import { benchContract, benchRegistry, writeRegistry } from './registry-seed.ts';

export const SETTLEMENT_PERIOD = '2026Q3';
/** a clock after the period's review window: settling is allowed */
export const SETTLEMENT_NOW = new Date('2026-11-22T08:00:00Z');

export interface SettlementDistrict {
  districtId: string;
  evaluationId: string;
  teamIds: string[];
}

export async function seedSettlementDistrict(db: Db, districtId: string, teams: number, contractsPerTeam = 2): Promise<SettlementDistrict> {
  const registry = benchRegistry(districtId, Math.ceil(teams / 10), 10);
  registry.teams.splice(teams);
  const contracts = registry.teams.flatMap((team, t) =>
    Array.from({ length: contractsPerTeam }, (_, c) =>
      benchContract(team, c + 1, `ref-${t}-${c}`, {
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        insured: c % 2 === 0,
        keyPopulations: c === 0 && t % 3 === 0 ? ['elderly-65'] : [],
      }),
    ),
  );
  await writeRegistry(db, registry, contracts, { residentPointers: false });
  const evaluationId = `eval-${districtId}`;
  const at = '2026-10-20T00:00:00.000Z';
  await createRun(db, {
    evaluationId,
    districtId,
    period: SETTLEMENT_PERIOD,
    baselinePeriod: null,
    criteriaVersion: 1,
    status: 'completed',
    phase: 'done',
    progress: { done: teams, total: teams },
    startedBy: 'bench-evaluator',
    createdAt: '2026-10-05T00:00:00.000Z',
    completedAt: at,
    fingerprint: 'b'.repeat(64),
  });
  await putScores(
    db,
    registry.teams.map((team, i) => {
      const eligibility = i % 37 === 0 ? 'void' : i % 23 === 0 ? 'capped' : 'eligible';
      return {
        evaluationId,
        teamId: team.teamId,
        institutionId: team.institutionId,
        score: {
          teamId: team.teamId,
          status: 'scored',
          total: (50 + ((i * 37) % 5000) / 100).toFixed(2),
          indicators: [],
          domains: [],
          gates: [],
          eligibility,
          capPercent: eligibility === 'void' ? 0 : eligibility === 'capped' ? 60 : 100,
        } as TeamScore,
        rank: null,
        percentile: null,
      };
    }),
  );
  const base = { districtId, period: SETTLEMENT_PERIOD, by: 'bench-evaluator', at, deadlineAt: dataDeadlineAt(SETTLEMENT_PERIOD) };
  await transitionPeriod(db, {
    ...base,
    action: 'evaluate',
    evaluationId,
    set: { officialRunId: evaluationId },
    officialRun: { evaluationId, criteriaVersion: 1, startedBy: 'bench-evaluator', completedAt: at },
  });
  await transitionPeriod(db, { ...base, action: 'publish', set: { publishedAt: at, reviewEndsAt: at, openAppeals: 0 } });
  await transitionPeriod(db, { ...base, action: 'finalize', by: 'review-window' });
  return { districtId, evaluationId, teamIds: registry.teams.map((t) => t.teamId) };
}
