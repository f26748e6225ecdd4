/**
 * What the engine bench times: scoreDistrict (all phases: values, statistics, scores, ranking)
 * and then allocateIncentives, score-weighted by weighted residents, over the teams that got a
 * score, the way a settlement does (shared/services/settlements-compute.ts).
 */
import { allocateIncentives, type Fen, type IncentiveResult, type TeamIncentiveInput } from '#shared/domain/money/index.ts';
import { type CriteriaSet, type DistrictScores, scoreDistrict } from '#shared/domain/scoring/index.ts';
import type { SyntheticDistrict } from './synthetic-district.ts';

/** About 2,000 yuan a team: a realistic quarterly pool. */
export function poolFor(teams: number): Fen {
  return teams * 200_000;
}

export function incentiveInputs(scores: DistrictScores, district: SyntheticDistrict): TeamIncentiveInput[] {
  const inputs: TeamIncentiveInput[] = [];
  scores.teams.forEach((score, i) => {
    if (score.total === null) return;
    const size = district.sizes[i]!;
    inputs.push({
      teamId: score.teamId,
      score: score.total,
      eligibility: score.eligibility,
      ...(score.eligibility === 'capped' ? { gateCapPercent: score.capPercent } : {}),
      activeContracts: size.activeContracts,
      weightedResidents: size.weightedResidents,
    });
  });
  return inputs;
}

export interface EngineOutcome {
  scores: DistrictScores;
  incentives: IncentiveResult;
  scoreMs: number;
  allocateMs: number;
}

export function scoreAndAllocate(criteria: CriteriaSet, district: SyntheticDistrict): EngineOutcome {
  const started = performance.now();
  const scores = scoreDistrict(criteria, district.teams, district.baseline);
  const scored = performance.now();
  const incentives = allocateIncentives(incentiveInputs(scores, district), {
    method: 'score-weighted',
    pool: poolFor(district.teams.length),
    sizeMeasure: 'weighted-residents',
  });
  const allocated = performance.now();
  return { scores, incentives, scoreMs: scored - started, allocateMs: allocated - scored };
}
