/**
 * All three phases in one go for a district, over columns of exact values (columns.ts,
 * column-statistics.ts, compact-score.ts) rather than per-team records. The batch functions
 * (computeIndicatorValues, summariseValues / mergeSummaries / finaliseStatistics, scoreTeam)
 * are the reference: the results here are byte-identical to theirs for any split of the teams.
 */
import { DomainError } from '../errors.ts';
import type { CriteriaSet } from './criteria.ts';
import { type RankedTeam, rankTeams } from './rank.ts';
import { readBaseline, readDistrict } from './columns.ts';
import { statisticsOfColumns } from './column-statistics.ts';
import { scoreColumns } from './compact-score.ts';
import { compileCriteria } from './compile.ts';
import type { Eligibility } from './gates.ts';
import { LazyTeamScore, type ScorecardSource } from './lazy-score.ts';
import type { TeamScore } from './score-team.ts';
import type { TeamFacts } from './sources.ts';
import type { DistrictStatistics } from './statistics.ts';

export interface DistrictScores {
  statistics: DistrictStatistics;
  /** In the order of the input teams. */
  teams: TeamScore[];
  ranking: RankedTeam[];
}

function uniqueIds(facts: readonly TeamFacts[], what: string): void {
  const seen = new Set<string>();
  for (const f of facts) {
    if (seen.has(f.teamId)) throw new DomainError('invalid', 'duplicate-team', `Team ${f.teamId} appears twice in the ${what}`, { teamId: f.teamId });
    seen.add(f.teamId);
  }
}

/** Throws on a repeated teamId; one pass when the ids are in ascending order, as lists read by key are. */
function assertUniqueIds(facts: readonly TeamFacts[], what: string): void {
  for (let i = 1; i < facts.length; i++) {
    if (!((facts[i - 1] as TeamFacts).teamId < (facts[i] as TeamFacts).teamId)) {
      uniqueIds(facts, what);
      return;
    }
  }
}

/** Each team's baseline facts by position: by index when both lists hold the same teams in the same order. */
function baselineLookup(teams: readonly TeamFacts[], baseline: readonly TeamFacts[]): (team: number) => TeamFacts | null {
  if (baseline.length === teams.length && teams.every((t, i) => (baseline[i] as TeamFacts).teamId === t.teamId)) return (team) => baseline[team] as TeamFacts;
  const byId = new Map(baseline.map((b) => [b.teamId, b]));
  return (team) => byId.get((teams[team] as TeamFacts).teamId) ?? null;
}

/**
 * `baseline`: the teams' facts for the baseline period; it supplies each team's own baseline
 * (improvement points) and the district threshold and benchmark of derived
 * achievement-improvement indicators.
 *
 * Totals, statuses and gate verdicts are computed here, from columns of exact values; each
 * team's scorecard (indicator lines, explanations, domains, gates) is built by scoreTeam when it
 * is first read (LazyTeamScore), from the same facts, which must therefore not be changed.
 */
export function scoreDistrict(criteria: CriteriaSet, teams: readonly TeamFacts[], baseline: readonly TeamFacts[] = []): DistrictScores {
  const compiled = compileCriteria(criteria);
  assertUniqueIds(teams, 'teams');
  assertUniqueIds(baseline, 'baseline');
  const baselineOf = baselineLookup(teams, baseline);
  const columns = readDistrict(compiled, teams, baselineOf);
  const derived = compiled.needsStatistics.flatMap((s) => (s.kind === 'achievement-improvement' ? compiled.indicators.filter((x) => x.code === s.code).map((x) => x.index) : []));
  const baselineColumns = readBaseline(compiled, baseline, derived);
  const { statistics, standings } = statisticsOfColumns(compiled, columns.values, baselineColumns);
  const source: ScorecardSource = { criteria, statistics, teams, baselineOf };
  const compact = scoreColumns(compiled, statistics, standings, columns);
  const scores: TeamScore[] = new Array(teams.length);
  for (let t = 0; t < teams.length; t++) {
    scores[t] = new LazyTeamScore(source, t, compact.total[t] ?? null, compact.eligibility[t] as Eligibility, compact.capPercent[t] as number);
  }
  return { statistics, teams: scores, ranking: rankTeams(scores) };
}
