/**
 * All three phases in one go for a district, over columns of exact values (columns.ts,
 * column-statistics.ts, compact-score.ts) rather than per-team records. The batch functions
 * (computeIndicatorValues, summariseValues / mergeSummaries / finaliseStatistics, scoreTeam)
 * are the reference: the results here are byte-identical to theirs for any split of the teams.
 */
import { DomainError } from '../../errors.ts';
import type { CriteriaSet } from '../criteria.ts';
import { type RankedTeam, rankByHundredths } from '../rank.ts';
import { districtColumns, readBaseline, readDistrict, readKept, readTeams } from './columns.ts';
import { statisticsOfColumns } from './column-statistics.ts';
import { type CompactScores, compactScores, scoreColumns } from './compact-score.ts';
import { type CompiledCriteria, compileCriteria } from '../compile.ts';
import type { Eligibility } from '../gates.ts';
import { LazyTeamScore, type ScorecardSource } from './lazy-score.ts';
import type { TeamScore } from '../score-team.ts';
import type { TeamFacts } from '../sources.ts';
import type { DistrictStatistics } from '../statistics.ts';

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
 * Teams read and scored at a time. Their columns (a few MB) are reused from one batch to the
 * next: columns for a whole district of 420,000 teams would be some 190 MB of typed arrays, and
 * that much new memory outside the JS heap sets off full collections (of all the facts too) in
 * the middle of scoring.
 */
const BATCH = 4_096;

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
  const derived = indicesOf(compiled, 'achievement-improvement');
  let statistics: DistrictStatistics;
  let compact: CompactScores;
  try {
    // phase 2 needs only the relative-standing values of the current teams and the derived indicators' baseline values
    const standing = statisticsOfColumns(
      compiled,
      readKept(compiled, teams, indicesOf(compiled, 'relative-standing')),
      readBaseline(compiled, baseline, derived),
    );
    statistics = standing.statistics;
    compact = compactScores(teams.length);
    const batch = districtColumns(compiled, Math.min(BATCH, teams.length));
    for (let first = 0; first < teams.length; first += BATCH) {
      const count = Math.min(BATCH, teams.length - first);
      readTeams(compiled, teams, baselineOf, first, count, batch);
      scoreColumns(compiled, statistics, standing.standings, batch, count, compact, first);
    }
  } catch (error) {
    // invalid facts: reading every source of every team, then the baseline, raises the first problem in that order, as scoreTeam's callers see it
    readDistrict(compiled, teams, baselineOf);
    readBaseline(compiled, baseline, derived);
    throw error;
  }
  const source: ScorecardSource = { criteria, statistics, teams, baselineOf };
  const scores: TeamScore[] = new Array(teams.length);
  for (let t = 0; t < teams.length; t++) {
    scores[t] = new LazyTeamScore(source, t, compact.total[t] ?? null, compact.eligibility[t] as Eligibility, compact.capPercent[t] as number);
  }
  return { statistics, teams: scores, ranking: rankByHundredths(scores, compact.hundredths) };
}

/** The indicators whose district statistics are of this kind. */
function indicesOf(compiled: CompiledCriteria, kind: CompiledCriteria['needsStatistics'][number]['kind']): number[] {
  return compiled.needsStatistics.flatMap((s) => (s.kind === kind ? compiled.indicators.filter((x) => x.code === s.code).map((x) => x.index) : []));
}
