/**
 * All three phases in one go for a district. The batch functions (computeIndicatorValues,
 * summariseValues / mergeSummaries / finaliseStatistics, scoreTeam) give byte-identical results
 * for any split of the teams; this is the reference they are tested against.
 */
import { DomainError } from '../errors.ts';
import type { CriteriaSet } from './criteria.ts';
import { type RankedTeam, rankTeams } from './rank.ts';
import { scoreTeam, type TeamScore } from './score-team.ts';
import type { TeamFacts } from './sources.ts';
import { computeDistrictStatistics, type DistrictStatistics } from './statistics.ts';
import { computeIndicatorValues, type TeamValues } from './values.ts';

export interface DistrictScores {
  statistics: DistrictStatistics;
  /** In the order of the input teams. */
  teams: TeamScore[];
  ranking: RankedTeam[];
}

function uniqueIds(facts: readonly TeamFacts[], what: string): Map<string, TeamFacts> {
  const byId = new Map<string, TeamFacts>();
  for (const f of facts) {
    if (byId.has(f.teamId)) throw new DomainError('invalid', 'duplicate-team', `Team ${f.teamId} appears twice in the ${what}`, { teamId: f.teamId });
    byId.set(f.teamId, f);
  }
  return byId;
}

/**
 * `baseline`: the teams' facts for the baseline period; it supplies each team's own baseline
 * (improvement points) and the district threshold and benchmark of derived
 * achievement-improvement indicators.
 */
export function scoreDistrict(criteria: CriteriaSet, teams: readonly TeamFacts[], baseline: readonly TeamFacts[] = []): DistrictScores {
  uniqueIds(teams, 'teams');
  const baselineById = uniqueIds(baseline, 'baseline');
  const values: TeamValues[] = teams.map((t) => computeIndicatorValues(criteria, t, baselineById.get(t.teamId) ?? null));
  const baselineValues = baseline.map((t) => computeIndicatorValues(criteria, t));
  const statistics = computeDistrictStatistics(criteria, values, baselineValues);
  const scores = values.map((v) => scoreTeam(criteria, statistics, v));
  return { statistics, teams: scores, ranking: rankTeams(scores) };
}
